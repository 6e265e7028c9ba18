import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportAll, type Person } from '#test/support/api';
import { openPage, signInLocally, useBrowserApp } from '#test/support/browser';

let admin: Person;
let workspaceId: string;

const app = useBrowserApp();
beforeAll(async () => {
  admin = await app.api.person('backup-download-admin');
  workspaceId = (await admin.post('/workspaces', { name: 'Downloaded Pumps' })).body.id;
  // Items have item collections and their creation audit events, so the export spans several pages.
  for (let i = 0; i < 3; i++) {
    await admin.post(`/workspaces/${workspaceId}/portfolio-items`, {
      code: `DL-${i}`,
      name: `Pump ${i}`,
      kind: 'product',
      unit: 'unit',
    });
  }
  await admin.post(`/workspaces/${workspaceId}/cycles`, {
    name: 'FY2027 budget',
    startDate: '2027-01-01',
    endDate: '2027-12-31',
  });
});

describe('backup download and restore in Chromium', () => {
  it('joins every page of the export into one file, which restores as a new workspace', async () => {
    const expected = await exportAll(admin, workspaceId);
    expect(expected.pages).toBeGreaterThan(1);

    const page = await openPage(app.browser);
    await signInLocally(page, app.api.baseUrl, 'backup-download-admin', admin.email);
    await page.goto(`${app.api.baseUrl}/w/${workspaceId}`);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download a backup (JSON)' }).click();
    const download = await downloading;
    const file = await download.path();
    const backup = JSON.parse(await readFile(file, 'utf8'));
    expect(backup).not.toHaveProperty('nextCursor');
    expect(backup).toMatchObject({ format: 'accord-workspace-export', workspaceId });
    const keys = (records: Array<{ pk: string; sk: string }>) => records.map((r) => `${r.pk} ${r.sk}`);
    expect(keys(backup.records)).toEqual(keys(expected.body.records));
    await page.getByText(`Exported ${backup.records.length} records.`).waitFor();

    // The downloaded file restores, from the workspace list, as a new workspace that opens.
    await page.goto(`${app.api.baseUrl}/`);
    await page.getByLabel('Backup file (JSON)').setInputFiles(file);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.waitForURL((url) => /^\/w\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(workspaceId));
    await page.getByRole('heading', { name: 'Downloaded Pumps' }).waitFor();
    const restoredId = new URL(page.url()).pathname.split('/')[2] ?? '';
    const restored = await exportAll(admin, restoredId);
    expect(restored.body.records.filter((r: { type: string }) => r.type === 'PortfolioItem')).toHaveLength(3);

    // The same file again is refused, with a way to the workspace it made.
    await page.goto(`${app.api.baseUrl}/`);
    await page.getByLabel('Backup file (JSON)').setInputFiles(file);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(`already restored as workspace ${restoredId}`);
    await page.getByRole('link', { name: 'Open it' }).click();
    await page.waitForURL(`**/w/${restoredId}`);
  });

  it('says so when the file is not a backup, writing nothing', async () => {
    const page = await openPage(app.browser);
    await signInLocally(page, app.api.baseUrl, 'backup-download-admin', admin.email);
    const before = (await admin.get('/me')).body.workspaces.length;
    await page
      .getByLabel('Backup file (JSON)')
      .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('notes.json is not an Accord backup');
    await page
      .getByLabel('Backup file (JSON)')
      .setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('format');
    expect((await admin.get('/me')).body.workspaces.length).toBe(before);
  });
});
