import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader } from '#contract/machine';
import {
  audited,
  horizontalOverflow,
  openPage,
  phone,
  seriousAxeFindings,
  signedInPage,
  useBrowserApp,
} from '#test/support/browser';
import { meetingBody } from '#test/support/meetings';
import { agree, createCycle, createItem, type PlanningTeam, planningTeam } from '#test/support/planning';
import { screens } from '#web/screens.ts';

/**
 * Every screen of the screen table, on a 390 px phone, with data in it: the
 * page never pans sideways and axe-core finds nothing serious or critical.
 */
const app = useBrowserApp();

let team: PlanningTeam;
let adminPage: Page;
let repPage: Page;
let opsPage: Page;
/** The URL of each screen of the table, by name. */
const urls = new Map<string, string>();

beforeAll(async () => {
  team = await planningTeam(app.api, 'Phone Screen Pumps');
  const ws = `/workspaces/${team.workspaceId}`;
  const item = await createItem(team, 'CP-050');
  const cycle = await createCycle(team);
  const agreedVersion = await agree(team, cycle.id, item.id);
  // A second version waiting for sign-off shows the sign-off button and the version table.
  const threshold = `${ws}/cycles/${cycle.id}/thresholds/${item.id}`;
  const current = await team.sales.get(threshold);
  const terms = current.body.threshold.latest.terms;
  expect(
    (
      await team.sales.request('PUT', threshold, {
        terms: { ...terms, standardLeadTimeDays: terms.standardLeadTimeDays + 2 },
        expectedVersion: current.body.threshold.version,
      })
    ).status,
  ).toBe(200);

  // A plan with a cell in each status, so the plan screen draws its grid, totals and coloured load.
  const planned = await team.sales.call('saveSalesPlan', {
    params: { workspaceId: team.workspaceId, cycleId: cycle.id },
    body: {
      expectedVersion: null,
      cells: [
        { code: 'CP-050', period: '2027-01', volume: 300 },
        { code: 'CP-050', period: '2027-02', volume: 450 },
        { code: 'CP-050', period: '2027-03', volume: 600 },
        { code: 'CP-050', period: '2027-04', volume: 50 },
      ],
    },
  });
  expect(planned.status).toBe(200);

  const today = new Date().toISOString().slice(0, 10);
  const issue = await team.sales.post(`${ws}/misalignment-issues`, {
    title: 'Lead time quoted shorter than agreed for control panels in the northern region',
    category: 'lead time',
    itemIds: [item.id],
    cycleId: cycle.id,
  });
  expect(issue.status).toBe(201);
  for (const [fee, currency] of [
    [350, 'EUR'],
    [1550, 'EUR'],
  ] as const) {
    const occurrence = await team.sales.post(`${ws}/misalignment-issues/${issue.body.id}/occurrences`, {
      occurredOn: today,
      reference: 'Deal 77 Nordwasser',
      detectedAt: 'production',
      cost: { 'expedite fees': fee, 'extra resources': 120.5 },
      currency,
    });
    expect(occurrence.status).toBe(201);
  }
  const second = await team.ops.post(`${ws}/misalignment-issues`, { title: 'Scope sold differently', category: 'scope' });
  expect(second.status).toBe(201);

  const commitment = await team.rep.post(`${ws}/catalogue/${item.id}/commitments`, {
    reference: 'Deal 12 Bergen',
    quantity: 5,
    deliveryDate: `${new Date().getUTCFullYear() + 1}-03-01`,
  });
  expect(commitment.status).toBe(201);
  // Demand the thresholds turned away, for the item page and the portfolio review.
  const lost = await team.rep.post(`${ws}/catalogue/${item.id}/unserved-demand`, {
    quantity: 400,
    requestedDate: `${new Date().getUTCFullYear() + 1}-03-01`,
    customer: 'Nordwasser Stadtwerke Bergen-Süd',
    note: 'Needed before the spring thaw; went to a competitor',
    thresholdVersion: agreedVersion,
  });
  expect(lost.status).toBe(201);
  // A partial delivery settles it, so the item page draws the kept-rate chart and its table.
  const delivered = await team.ops.post(`${ws}/catalogue/${item.id}/commitments/${commitment.body.commitment.id}/deliveries`, {
    date: today,
    quantity: 2,
  });
  expect(delivered.status).toBe(201);
  // A key for the API keys screen's list, used once so it shows when.
  const key = await team.admin.call('createApiKey', {
    params: { workspaceId: team.workspaceId },
    body: { name: 'Nordwasser ERP integration for deliveries', routes: ['getCatalogueItem', 'promiseCheck', 'listCatalogue'] },
  });
  expect(key.status).toBe(201);
  const keyUse = await fetch(`${app.api.baseUrl}/api/machine${ws}/catalogue/${item.id}`, {
    headers: { [apiKeyHeader]: key.body.apiKey },
  });
  expect(keyUse.status).toBe(200);

  const meeting = (await team.admin.post(`${ws}/meetings`, meetingBody(cycle.id, { durationMinutes: 60 }))).body;
  const agenda = `${ws}/meetings/${meeting.id}/agenda`;
  expect((await team.admin.post(agenda, { kind: 'section', title: 'Thresholds' })).status).toBe(201);
  expect(
    (await team.admin.post(agenda, { title: 'CP-050 lead time', durationMinutes: 30, presenter: team.sales.email })).status,
  ).toBe(201);
  expect((await team.admin.post(`${ws}/meetings/${meeting.id}/state`, { to: 'open', expectedVersion: 1 })).status).toBe(200);

  // A decision proposing the pending version's sign-off puts a notification in the operations manager's inbox.
  const signing = (await team.admin.post(`${ws}/meetings`, meetingBody(cycle.id, { title: 'Sign-off of CP-050' }))).body;
  const signingPath = `${ws}/meetings/${signing.id}`;
  const entry = (await team.admin.post(`${signingPath}/agenda`, { title: 'CP-050 v2', durationMinutes: 10 })).body;
  expect((await team.admin.post(`${signingPath}/state`, { to: 'open', expectedVersion: 1 })).status).toBe(200);
  expect((await team.admin.post(`${signingPath}/state`, { to: 'inProgress', expectedVersion: 2 })).status).toBe(200);
  for (const person of [team.sales, team.ops]) {
    const marked = await team.admin.request('PUT', `${signingPath}/attendance/${encodeURIComponent(person.email)}`, {
      present: true,
    });
    expect(marked.status).toBe(200);
  }
  const proposed = await team.admin.post(`${signingPath}/outcomes`, {
    kind: 'decision',
    agendaItemId: entry.id,
    text: 'Agree the longer standard lead time for control panels from the next order on, as discussed with production planning.',
    effects: [
      {
        kind: 'thresholdSignOff',
        thresholdId: item.id,
        thresholdVersion: current.body.threshold.version + 1,
        signers: [team.sales.email, team.ops.email],
      },
    ],
  });
  expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);

  const w = team.workspaceId;
  const params: Record<string, string> = {
    workspaceId: w,
    itemId: item.id,
    cycleId: cycle.id,
    issueId: issue.body.id,
    meetingId: meeting.id,
  };
  for (const [name, screen] of Object.entries(screens)) {
    urls.set(
      name,
      screen.pattern.replace(/:(\w+)/g, (_match, key: string) => params[key] ?? key),
    );
  }
  adminPage = await signedInPage(app, team.admin, 'Ada Admin', { ...phone, ...audited });
  repPage = await signedInPage(app, team.rep, 'Rita Rep', { ...phone, ...audited });
  opsPage = await signedInPage(app, team.ops, 'Olga Ops', { ...phone, ...audited });
});

/** Opens a screen and waits until it has shown its data (its heading, no loading line). */
async function open(page: Page, url: string) {
  await page.goto(`${app.api.baseUrl}${url}`);
  await page.locator('main h1').first().waitFor();
  await expect.poll(() => page.getByText('Loading…', { exact: true }).count(), { timeout: 5000 }).toBe(0);
}

/** Public screens are opened signed out, as a person arriving there would see them. */
const publicScreens = Object.entries(screens).filter(([, screen]) => 'public' in screen && screen.public);
const privateScreens = Object.entries(screens).filter(([, screen]) => !('public' in screen && screen.public));

describe('every screen on a 390 px phone in Chromium', () => {
  it('covers the whole screen table', () => {
    expect(publicScreens.length + privateScreens.length).toBe(Object.keys(screens).length);
    expect(privateScreens.length).toBeGreaterThan(10);
  });

  it.each(publicScreens.map(([name]) => name))(
    '%s (signed out) never pans sideways and has no serious axe finding',
    async (name) => {
      const page = await openPage(app.browser, { ...phone, ...audited });
      await page.goto(`${app.api.baseUrl}${urls.get(name)}`);
      await page.locator('main').waitFor();
      await page.waitForLoadState('networkidle');
      await check(page);
      await page.context().close();
    },
  );

  it.each(privateScreens.map(([name]) => name))('%s never pans sideways and has no serious axe finding', async (name) => {
    const url = urls.get(name);
    if (!url) throw new Error(`no URL for ${name}`);
    await open(adminPage, url);
    await check(adminPage);
  });

  it('shows a rep the promise check without panning and without serious axe findings', async () => {
    await open(repPage, urls.get('catalogueItem') ?? '');
    await repPage.getByRole('button', { name: /check/i }).first().waitFor();
    await check(repPage);
  });

  it('shows the operations manager their notification and the bell’s count without panning', async () => {
    await open(opsPage, urls.get('notifications') ?? '');
    await opsPage.getByTestId('notification').first().waitFor();
    await expect.poll(() => opsPage.getByTestId('notification-count').textContent()).toBe('1');
    await check(opsPage);
  });
});

describe('the commitments list in Chromium', () => {
  it('keeps its filters in the URL and shows a rep their own commitments on a phone', async () => {
    await open(repPage, `${urls.get('commitments')}?rep=mine&state=approved`);
    await repPage.getByTestId('commitment-table').waitFor();
    expect(await repPage.getByTestId('commitment-table').textContent()).toContain('Deal 12 Bergen');
    expect(await repPage.getByRole('checkbox', { name: 'Mine' }).isChecked()).toBe(true);
    expect(await repPage.locator('select[name=state]').inputValue()).toBe('approved');
    await check(repPage);
    await repPage.getByRole('checkbox', { name: 'Overdue' }).check();
    await repPage.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => new URL(repPage.url()).searchParams.get('overdue')).toBe('true');
    await repPage.getByText('No commitments match.').waitFor();
  });

  it('records a beyond answer as lost from the item page, and the item shows it in its cycle', async () => {
    await open(repPage, urls.get('catalogueItem') ?? '');
    await expect.poll(() => repPage.getByTestId('unserved-total').textContent()).toContain('1 order');
    await repPage.locator('input[name=quantity]').fill('5000');
    await repPage.locator('input[name=lead-time]').fill('2');
    await repPage.getByRole('button', { name: 'Check', exact: true }).click();
    await repPage.getByTestId('promise-answer').waitFor();
    expect(await repPage.getByTestId('promise-answer').textContent()).toContain('Beyond');
    await repPage.getByRole('button', { name: 'Record as lost' }).click();
    await repPage.locator('input[name=lost-customer]').fill('Bergen Vann');
    await repPage.getByRole('button', { name: 'Record as lost' }).click();
    await repPage.getByText(/Recorded as lost: .* for Bergen Vann/).waitFor();
    await expect.poll(() => repPage.getByTestId('unserved-total').textContent()).toContain('2 orders');
    await check(repPage);
  });

  it('shows the unserved demand per item of the cycle for the portfolio review', async () => {
    await open(adminPage, urls.get('unservedReview') ?? '');
    await adminPage.getByTestId('unserved-table').waitFor();
    expect(await adminPage.getByTestId('unserved-table').textContent()).toContain('CP-050');
    await check(adminPage);
  });
});

describe('deliveries and API keys on a 390 px phone in Chromium', () => {
  it('shows the operations manager the record-delivery form and the import report without panning', async () => {
    await open(opsPage, urls.get('commitments') ?? '');
    await opsPage.getByRole('button', { name: 'Record delivery for Deal 12 Bergen' }).click();
    const form = opsPage.getByTestId('record-delivery');
    await form.getByText('Costs, if known (optional)').click();
    await form.getByLabel('Quantity').fill('999');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect.poll(() => form.getByLabel('Quantity').getAttribute('aria-invalid'), { timeout: 8000 }).toBe('true');
    const panel = opsPage.getByTestId('import-deliveries');
    await panel.getByText('Import deliveries').first().click();
    await panel
      .getByLabel('or paste the CSV')
      .fill('reference,date,quantity\nNo such order 4711 from the long customer list,2026-01-05,3');
    await panel.getByRole('button', { name: 'Import deliveries' }).click();
    await panel.getByTestId('import-report').waitFor({ timeout: 8000 });
    await check(opsPage);
    await form.getByLabel('Missed').check();
    await check(opsPage);
  });

  it('shows the operations manager the record-delivery form on the item page without panning', async () => {
    await open(opsPage, urls.get('catalogueItem') ?? '');
    await opsPage.getByRole('button', { name: 'Record delivery for Deal 12 Bergen' }).click();
    await opsPage.getByTestId('record-delivery').waitFor();
    await check(opsPage);
  });

  it('shows an admin a new key’s secret without panning', async () => {
    await open(adminPage, urls.get('apiKeys') ?? '');
    await adminPage.getByTestId('api-key-row').first().waitFor();
    await adminPage.getByLabel('Name (the system that will use it)').fill('Phone check CRM');
    await adminPage.getByRole('checkbox', { name: /promiseCheck/ }).check();
    await adminPage.getByRole('button', { name: 'Create key' }).click();
    await adminPage.getByTestId('api-key-secret').waitFor({ timeout: 8000 });
    await check(adminPage);
    await adminPage.getByRole('button', { name: 'Revoke Phone check CRM' }).click();
    await check(adminPage);
  });
});

describe('moving between screens in Chromium', () => {
  it('moves focus to the new screen’s heading and announces it', async () => {
    await open(adminPage, urls.get('overview') ?? '');
    await adminPage.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Members' }).click();
    await adminPage.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await expect
      .poll(() => adminPage.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent}`))
      .toBe('H1 Members');
    await expect.poll(() => adminPage.getByTestId('page-announcement').textContent()).toBe('Members');
    expect(await adminPage.getByTestId('page-announcement').getAttribute('aria-live')).toBe('polite');
  });
});

describe('refusals in plain sentences in Chromium', () => {
  it('shows a schema refusal beside its field, tied to it by aria-describedby, never in the schema’s wording', async () => {
    await open(adminPage, urls.get('meetings') ?? '');
    await adminPage.locator('input[name=meeting-title]').fill('Too long a meeting');
    await adminPage.locator('input[name=meeting-duration]').fill('-5');
    await adminPage.getByRole('button', { name: 'Create meeting' }).click();
    const duration = adminPage.locator('input[name=meeting-duration]');
    await expect.poll(() => duration.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await duration.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await adminPage.locator(`[id="${describedBy}"]`).textContent()).toBe('Must be 0 or more');
    expect(await adminPage.locator('main').textContent()).not.toMatch(/Too small|Too big|expected number/);
  });
});

describe('irreversible moves in Chromium', () => {
  it('asks before a cycle moves to agreed, and Cancel leaves it where it was', async () => {
    const cycle = await createCycle(team, 'FY2029 budget', { startDate: '2029-01-01', endDate: '2029-12-31' });
    const path = `/workspaces/${team.workspaceId}/cycles/${cycle.id}`;
    expect((await team.admin.post(`${path}/state`, { to: 'planning', expectedVersion: cycle.version })).status).toBe(200);
    await open(adminPage, urls.get('cycles') ?? '');
    await adminPage.getByRole('button', { name: 'Move FY2029 budget to agreed' }).click();
    const confirm = adminPage.getByRole('button', { name: 'Yes, move FY2029 budget to agreed' });
    await confirm.waitFor();
    expect(await adminPage.getByRole('group').textContent()).toContain('cannot be undone');
    expect(await adminPage.evaluate(() => document.activeElement?.textContent)).toBe('Yes, move FY2029 budget to agreed');
    await adminPage.getByRole('button', { name: 'Cancel' }).click();
    expect((await team.admin.get(path)).body.state).toBe('planning');
    await adminPage.getByRole('button', { name: 'Move FY2029 budget to agreed' }).click();
    await confirm.click();
    await expect.poll(async () => (await team.admin.get(path)).body.state).toBe('agreed');
    await adminPage.getByRole('button', { name: 'Move FY2029 budget to closed' }).waitFor();
  });
});

async function check(page: Page) {
  const overflow = await horizontalOverflow(page);
  expect(overflow.width).toBe(390);
  expect(overflow.wide).toEqual([]);
  expect(overflow.scrollWidth).toBeLessThanOrEqual(390);
  expect(await seriousAxeFindings(page)).toEqual([]);
}
