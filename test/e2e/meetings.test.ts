import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Person } from '#test/support/api';
import { signedInPage, useBrowserApp } from '#test/support/browser';
import { meetingBody, meetingTeam } from '#test/support/meetings';
import { pumpTerms } from '#test/support/planning';

const app = useBrowserApp();
/** Others' changes must show within this time, without a reload. */
const live = { timeout: 3000, interval: 100 };

/** A browser context signed in as `person`: each one is its own participant. */
const participant = (person: Person, name: string) => signedInPage(app, person, name);

const agendaTitles = (page: Page) => page.getByTestId('agenda-entry').locator('.entry-title').allTextContents();

describe('a planning meeting run live by two participants in Chromium', () => {
  it('shows each participant the other’s attendance, agenda order and outcomes within 3 s, then closes with full minutes', async () => {
    const team = await meetingTeam(app.api, 'Live Pumps');
    const ws = `/workspaces/${team.workspaceId}`;
    const meeting = (await team.admin.post(`${ws}/meetings`, meetingBody(team.cycleId, { durationMinutes: 60 }))).body;
    const agenda = `${ws}/meetings/${meeting.id}/agenda`;
    await team.admin.post(agenda, { kind: 'section', title: 'Thresholds' });
    // The link names a threshold of the workspace: its portfolio item exists there.
    const pump = await team.admin.post(`${ws}/portfolio-items`, {
      code: 'CP-050',
      name: 'Control panel',
      kind: 'product',
      unit: 'unit',
    });
    expect(pump.status).toBe(201);
    const linked = await team.admin.post(agenda, {
      title: 'CP-050 lead time',
      durationMinutes: 30,
      links: { thresholdId: pump.body.id, thresholdVersion: 2 },
    });
    expect(linked.status).toBe(201);
    await team.admin.post(agenda, { title: 'Quoting errors', durationMinutes: 20 });
    expect((await team.admin.post(`${ws}/meetings/${meeting.id}/state`, { to: 'open', expectedVersion: 1 })).status).toBe(200);

    const sam = await participant(team.sales, 'Sam Sales');
    const olga = await participant(team.ops, 'Olga Ops');
    const url = `${app.api.baseUrl}/w/${team.workspaceId}/meetings/${meeting.id}`;
    await Promise.all([sam.goto(url), olga.goto(url)]);
    for (const page of [sam, olga]) {
      await page.getByRole('heading', { name: 'FY2027 budget planning' }).waitFor();
      await expect.poll(() => page.getByTestId('agenda-total').textContent()).toContain('50 of 60 minutes planned');
    }

    // Sam starts the meeting; Olga's screen follows.
    await sam.getByRole('button', { name: 'Start meeting' }).click();
    await expect.poll(() => olga.getByTestId('meeting-state').textContent(), live).toBe('In progress');

    // Both join; each sees the other present.
    await sam.getByRole('button', { name: 'Mark me present' }).click();
    await expect
      .poll(() => olga.getByTestId('attendance').getByRole('checkbox', { name: 'Sam Sales' }).isChecked(), live)
      .toBe(true);
    const thresholdForm = sam.getByRole('form', { name: 'Record an outcome of CP-050 lead time' });
    await thresholdForm.getByLabel('Text').fill('Quote 6 weeks for CP-050 from February');
    expect(await thresholdForm.getByRole('button', { name: 'Record' }).isDisabled()).toBe(true);
    expect(await thresholdForm.getByRole('note').textContent()).toMatch(/no operations manager is marked present/);

    await olga.getByRole('button', { name: 'Mark me present' }).click();
    await expect
      .poll(() => sam.getByTestId('attendance').getByRole('checkbox', { name: 'Olga Ops' }).isChecked(), live)
      .toBe(true);
    await expect.poll(() => sam.getByTestId('quorum').textContent(), live).toContain('quorum met');

    // Sam records a decision and an action; Olga sees both without reloading.
    await thresholdForm.getByRole('button', { name: 'Record' }).click();
    const quotingForm = sam.getByRole('form', { name: 'Record an outcome of Quoting errors' });
    await quotingForm.getByLabel('Outcome').selectOption('action');
    await quotingForm.getByLabel('Text').fill('Check every quote against the agreed lead time');
    await quotingForm.getByLabel('Owner').selectOption(team.ops.email);
    await quotingForm.getByLabel('Due').fill('2027-02-15');
    await quotingForm.getByRole('button', { name: 'Record' }).click();
    await expect
      .poll(() => olga.getByTestId('outcomes').allTextContents(), live)
      .toEqual([
        expect.stringContaining('Quote 6 weeks for CP-050 from February'),
        expect.stringContaining('Check every quote against the agreed lead time — Olga Ops, due 2027-02-15, open'),
      ]);

    // Olga moves "Quoting errors" up with the keyboard; Sam's agenda follows.
    await olga.getByRole('button', { name: 'Reorder Quoting errors: Alt+Up or Alt+Down' }).focus();
    await olga.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => agendaTitles(olga)).toEqual(['Thresholds', 'Quoting errors', 'CP-050 lead time']);
    await expect.poll(() => agendaTitles(sam), live).toEqual(['Thresholds', 'Quoting errors', 'CP-050 lead time']);
    expect(await olga.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Reorder Quoting errors: Alt+Up or Alt+Down',
    );

    // Olga closes the meeting; Sam's screen turns read-only.
    await olga.getByRole('button', { name: 'Close meeting' }).click();
    await expect.poll(() => sam.getByTestId('meeting-state').textContent(), live).toBe('Closed');
    await expect.poll(() => sam.getByRole('form', { name: /Record an outcome/ }).count(), live).toBe(0);

    // The minutes show attendees by function, the decision and the action with owner and date.
    await sam.getByRole('link', { name: 'Minutes' }).click();
    await sam.getByRole('heading', { name: 'Minutes: FY2027 budget planning' }).waitFor();
    const attendees = await sam.getByTestId('minutes-attendees').textContent();
    expect(attendees).toMatch(/sales\s*Sam Sales \(manager\)/i);
    expect(attendees).toMatch(/operations\s*Olga Ops \(manager\)/i);
    expect(await sam.getByTestId('minutes-decisions').textContent()).toContain('Quote 6 weeks for CP-050 from February');
    expect(await sam.getByTestId('minutes-actions').locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/Check every quote against the agreed lead time\s+Olga Ops\s+2027-02-15\s+open/),
    ]);
    // Printed, the minutes leave the app's chrome and buttons out.
    await sam.emulateMedia({ media: 'print' });
    expect(await sam.locator('.topbar').isVisible()).toBe(false);
    expect(await sam.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
    expect(await sam.getByTestId('minutes').isVisible()).toBe(true);

    // The action waits on its owner's overview.
    await olga.goto(`${app.api.baseUrl}/w/${team.workspaceId}`);
    await expect
      .poll(() => olga.getByTestId('my-actions').textContent())
      .toContain('Check every quote against the agreed lead time');

    for (const page of [sam, olga]) await page.context().close();
  });

  it('asks each named signer, live, to confirm the sign-off a decision proposed, and agrees the threshold only when both have', async () => {
    const team = await meetingTeam(app.api, 'Signing Pumps');
    const ws = `/workspaces/${team.workspaceId}`;
    const item = (
      await team.admin.post(`${ws}/portfolio-items`, { code: 'SIG-1', name: 'Signed pump', kind: 'product', unit: 'unit' })
    ).body;
    const thresholdPath = `${ws}/cycles/${team.cycleId}/thresholds/${item.id}`;
    expect((await team.admin.request('PUT', thresholdPath, { terms: pumpTerms, expectedVersion: null })).status).toBe(200);
    const meeting = (await team.admin.post(`${ws}/meetings`, meetingBody(team.cycleId))).body;
    const path = `${ws}/meetings/${meeting.id}`;
    await team.admin.post(`${path}/agenda`, {
      title: 'SIG-1 threshold',
      durationMinutes: 15,
      links: { thresholdId: item.id, thresholdVersion: 1 },
    });
    for (const [to, expectedVersion] of [
      ['open', 1],
      ['inProgress', 2],
    ] as const) {
      expect((await team.admin.post(`${path}/state`, { to, expectedVersion })).status).toBe(200);
    }
    for (const person of [team.sales, team.ops]) {
      await team.admin.request('PUT', `${path}/attendance/${encodeURIComponent(person.email)}`, { present: true });
    }

    const sam = await participant(team.sales, 'Sam Sales');
    const olga = await participant(team.ops, 'Olga Ops');
    const url = `${app.api.baseUrl}/w/${team.workspaceId}/meetings/${meeting.id}`;
    await Promise.all([sam.goto(url), olga.goto(url)]);
    const form = sam.getByRole('form', { name: 'Record an outcome of SIG-1 threshold' });
    await form.getByLabel('Text').fill('Agree SIG-1 as proposed');
    await form.getByRole('checkbox', { name: 'Propose the sign-off of version 1' }).check();
    await form.getByRole('button', { name: 'Record' }).click();

    // Each named signer is asked on their own screen; nothing is signed yet.
    await olga.getByRole('heading', { name: 'Olga Ops, confirm your sign-off' }).waitFor(live);
    await sam.getByRole('heading', { name: 'Sam Sales, confirm your sign-off' }).waitFor(live);
    expect(await olga.getByRole('heading', { name: 'Sam Sales, confirm your sign-off' }).count()).toBe(0);
    expect((await team.admin.get(thresholdPath)).body.threshold.signOffs).toEqual([]);

    const confirmation = olga.waitForResponse((response) => response.url().includes('/confirm-sign-off'));
    await olga.getByRole('button', { name: 'Confirm my sign-off' }).click();
    // The screen names the meeting's cycle and the proposal's item, so the threshold is read beside the decision.
    const confirmed = await confirmation;
    const hints = new URL(confirmed.url()).searchParams;
    expect([hints.get('cycleId'), hints.get('itemId')]).toEqual([team.cycleId, item.id]);
    await expect
      .poll(() => sam.getByTestId('sign-off-proposal').textContent(), live)
      .toBe('sign-off proposed: confirmed by Olga Ops; waiting for Sam Sales');
    expect((await team.admin.get(thresholdPath)).body.threshold.agreed).toBeNull();

    await sam.getByRole('button', { name: 'Confirm my sign-off' }).click();
    await expect
      .poll(() => olga.getByTestId('sign-off-proposal').textContent(), live)
      .toBe('signed off, confirmed by Olga Ops and Sam Sales');
    expect((await team.admin.get(thresholdPath)).body.threshold.agreed).toMatchObject({ version: 1 });
    expect(await sam.getByTestId('confirm-sign-off').count()).toBe(0);
    for (const page of [sam, olga]) await page.context().close();
  });

  it('prepares a meeting in the app: agenda over length, a drag to reorder, and the open action of the last meeting moved in from the backlog', async () => {
    const team = await meetingTeam(app.api, 'Prep Pumps');
    const ws = `/workspaces/${team.workspaceId}`;
    // Last month's meeting, closed with an unfinished action.
    const last = (
      await team.admin.post(
        `${ws}/meetings`,
        meetingBody(team.cycleId, { title: 'January review', startsAt: '2026-01-12T09:00:00Z' }),
      )
    ).body;
    const item = (await team.admin.post(`${ws}/meetings/${last.id}/agenda`, { title: 'Spare parts', durationMinutes: 10 })).body;
    for (const [to, expectedVersion] of [
      ['open', 1],
      ['inProgress', 2],
    ] as const) {
      await team.admin.post(`${ws}/meetings/${last.id}/state`, { to, expectedVersion });
    }
    await team.admin.post(`${ws}/meetings/${last.id}/outcomes`, {
      kind: 'action',
      agendaItemId: item.id,
      text: 'Agree a stock level for seal kits',
      owner: team.ops.email,
      // New actions may not be due in the past.
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    });
    await team.admin.post(`${ws}/meetings/${last.id}/state`, { to: 'closed', expectedVersion: 3 });

    const page = await participant(team.sales, 'Sam Sales');
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}/meetings`);
    await page.getByLabel('Title').fill('February review');
    // The picker offers the workspace's budget cycles; the team's cycle is its only one.
    await expect.poll(() => page.getByLabel('Budget cycle').inputValue()).toBe(team.cycleId);
    await page.getByLabel('Type').selectOption('monthlyReview');
    await page.getByLabel('Date').fill('2026-02-10');
    await page.getByLabel('Length (minutes)').fill('30');
    await page.getByRole('checkbox', { name: 'Olga Ops' }).check();
    const backlogRead = page.waitForResponse((response) => /\/meetings\/[^/]+\/backlog/.test(response.url()));
    await page.getByRole('button', { name: 'Create meeting' }).click();
    await page.getByRole('heading', { name: 'February review' }).waitFor();
    // The screen names the meeting's cycle, so the backlog's sources are read beside the meeting; January's open
    // actions follow the cycle's meetings.
    const backlog = await backlogRead;
    expect(new URL(backlog.url()).searchParams.get('cycleId')).toBe(team.cycleId);
    expect(Number(backlog.headers()['x-accord-db-round-trips'])).toBeLessThanOrEqual(2);
    await expect.poll(() => page.getByTestId('invited').textContent()).toContain('Olga Ops');

    for (const [title, minutes] of [
      ['Order intake', '20'],
      ['Seal kit shortages', '15'],
    ] as const) {
      await page.getByLabel('Agenda title').fill(title);
      await page.getByLabel('Minutes').fill(minutes);
      await page.getByRole('button', { name: 'Add to agenda' }).click();
      await expect.poll(() => agendaTitles(page)).toContain(title);
    }
    await expect
      .poll(() => page.getByTestId('agenda-total').textContent())
      .toBe('35 of 30 minutes planned — 5 minutes over the meeting’s length');

    await page
      .getByTestId('agenda-entry')
      .filter({ hasText: 'Seal kit shortages' })
      .dragTo(page.getByTestId('agenda-entry').filter({ hasText: 'Order intake' }));
    await expect.poll(() => agendaTitles(page)).toEqual(['Seal kit shortages', 'Order intake']);

    await page.getByRole('button', { name: 'Add Follow-up: Agree a stock level for seal kits to the agenda' }).click();
    await expect
      .poll(() => agendaTitles(page))
      .toEqual(['Seal kit shortages', 'Order intake', 'Follow-up: Agree a stock level for seal kits']);
    await expect.poll(() => page.getByText('No open actions to follow up.').count()).toBe(1);
    await page.reload();
    await expect
      .poll(() => agendaTitles(page))
      .toEqual(['Seal kit shortages', 'Order intake', 'Follow-up: Agree a stock level for seal kits']);

    // A longer meeting fits the agenda again.
    await page.getByRole('button', { name: 'Edit details' }).click();
    const details = page.getByRole('form', { name: 'Meeting details' });
    await details.getByLabel('Length (minutes)').fill('45');
    await details.getByRole('button', { name: 'Save details' }).click();
    await expect.poll(() => page.getByTestId('agenda-total').textContent()).toBe('40 of 45 minutes planned');
    await page.context().close();
  });
});
