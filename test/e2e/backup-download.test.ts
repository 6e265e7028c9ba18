import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAll, type Person, startApi, type TestApi } from '../support/api';
import { launchBrowser, openPage, signInLocally } from '../support/browser';

let api: TestApi;
let browser: Browser;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  api = await startApi({ webRoot: resolve(import.meta.dirname, '../../web/dist') });
  browser = await launchBrowser();
  admin = await api.person('backup-download-admin');
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
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe('the backup download in Chromium', () => {
  it('joins every page of the export into the one document the import takes', async () => {
    const expected = await exportAll(admin, workspaceId);
    expect(expected.pages).toBeGreaterThan(1);

    const page = await openPage(browser);
    await signInLocally(page, api.baseUrl, 'backup-download-admin', admin.email);
    await page.goto(`${api.baseUrl}/w/${workspaceId}`);
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

    const targetId = (await admin.post('/workspaces', { name: 'Downloaded restore' })).body.id;
    const imported = await admin.request('POST', `/workspaces/${targetId}/import`, backup);
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBe(backup.records.length);
  });
});
