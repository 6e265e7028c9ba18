import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signedInPage, useBrowserApp } from '#test/support/browser';
import { meetingBody, meetingTeam } from '#test/support/meetings';
import { pumpTerms } from '#test/support/planning';

const app = useBrowserApp();

/** Makes the tab look hidden or visible to the app, as switching tabs does. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((value) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);

describe('the notification bell and inbox in Chromium', () => {
  it('shows a new notification on the bell without a reload, pauses while hidden, and opens it from the inbox', async () => {
    const team = await meetingTeam(app.api, 'Bell Pumps');
    const ws = `/workspaces/${team.workspaceId}`;
    const item = await team.admin.post(`${ws}/portfolio-items`, { code: 'CP-070', name: 'Panel', kind: 'product', unit: 'unit' });
    expect(item.status).toBe(201);
    const saved = await team.sales.request('PUT', `${ws}/cycles/${team.cycleId}/thresholds/${item.body.id}`, {
      terms: pumpTerms,
      expectedVersion: null,
    });
    expect(saved.status).toBe(200);
    const meeting = (await team.admin.post(`${ws}/meetings`, meetingBody(team.cycleId, { title: 'Panel sign-off' }))).body;
    const m = `${ws}/meetings/${meeting.id}`;
    const entry = (await team.admin.post(`${m}/agenda`, { title: 'CP-070', durationMinutes: 10 })).body;
    expect((await team.admin.post(`${m}/state`, { to: 'open', expectedVersion: 1 })).status).toBe(200);
    expect((await team.admin.post(`${m}/state`, { to: 'inProgress', expectedVersion: 2 })).status).toBe(200);
    for (const person of [team.sales, team.ops]) {
      expect(
        (await team.admin.request('PUT', `${m}/attendance/${encodeURIComponent(person.email)}`, { present: true })).status,
      ).toBe(200);
    }

    const page = await signedInPage(app, team.ops, 'Olga Ops');
    const polls: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/notifications/count')) polls.push(request.url());
    });
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    const bell = page.getByTestId('notification-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe('Notifications, none unread');

    const decided = await team.admin.post(`${m}/outcomes`, {
      kind: 'decision',
      agendaItemId: entry.id,
      text: 'Agree CP-070 v1',
      effects: [
        { kind: 'thresholdSignOff', thresholdId: item.body.id, thresholdVersion: 1, signers: [team.sales.email, team.ops.email] },
      ],
    });
    expect(decided.status).toBe(201);
    // The bell asks every 5 s while the tab is visible.
    await expect.poll(() => page.getByTestId('notification-count').textContent(), { timeout: 7000 }).toBe('1');
    expect(await bell.getAttribute('aria-label')).toBe('Notifications, 1 unread');

    await setHidden(page, true);
    const whileHidden = polls.length;
    await page.waitForTimeout(6000);
    expect(polls.length).toBe(whileHidden);
    await setHidden(page, false);
    await expect.poll(() => polls.length, { timeout: 1500 }).toBeGreaterThan(whileHidden);

    await bell.click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    const notification = page.getByTestId('notification').first();
    await expect
      .poll(() => notification.getByRole('link').textContent())
      .toContain('Confirm your threshold sign-off in “Panel sign-off”');
    await notification.getByRole('link').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/w/${team.workspaceId}/meetings/${meeting.id}`);
    await expect.poll(() => page.getByTestId('notification-count').count()).toBe(0);
    expect((await team.ops.call('getNotificationCount', { params: { workspaceId: team.workspaceId } })).body.unread).toBe(0);
    await page.context().close();
  }, 90_000);
});
