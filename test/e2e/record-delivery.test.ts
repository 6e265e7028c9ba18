import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { horizontalOverflow, phone, signedInPage, useBrowserApp } from '#test/support/browser';
import { agreedItem, daysFromToday, seedCommitment } from '#test/support/deliveries';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

/**
 * Operations records what was delivered, by hand and from the ERP's file, on
 * the commitments list and the item page; a rep sees the commitments but no
 * control to record a delivery.
 */
const app = useBrowserApp();
/** A write on two shared cores can take a few seconds. */
const slow = { timeout: 8000 };

let team: PlanningTeam;
let itemId: string;
let opsPage: Page;
let repPage: Page;

async function promise(reference: string, quantity: number) {
  const recorded = await team.rep.call('recordCommitment', {
    params: { workspaceId: team.workspaceId, itemId },
    body: { reference, quantity, deliveryDate: daysFromToday(30) },
  });
  expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
  expect(recorded.body.commitment.status).toBe('approved');
  return recorded.body.commitment;
}

beforeAll(async () => {
  team = await planningTeam(app.api, 'Delivering Pumps');
  const agreed = await agreedItem(team, 'DL-100');
  itemId = agreed.item.id;
  // Promised for last week: the API refuses a promise in the past, so it is written as recording one writes it.
  await seedCommitment(team, agreed, { reference: 'SO-LATE', quantity: 3, promisedDate: daysFromToday(-7) });
  await promise('SO-PART', 10);
  await promise('SO-MISS', 4);
  await promise('SO-ERP', 6);
  await promise('SO-GONE', 2);
  opsPage = await signedInPage(app, team.ops, 'Olga Ops', phone);
  repPage = await signedInPage(app, team.rep, 'Rita Rep', phone);
});

const commitmentsUrl = () => `${app.api.baseUrl}/w/${team.workspaceId}/commitments`;
const row = (page: Page, reference: string) => page.getByTestId('commitment-row').filter({ hasText: reference });

async function stored(reference: string) {
  const listed = await team.rep.call('listCommitments', { params: { workspaceId: team.workspaceId, itemId } });
  const found = listed.body.items.find((commitment) => commitment.reference === reference);
  if (!found) throw new Error(`no commitment ${reference}`);
  return found;
}

describe('recording a delivery by hand', () => {
  it('lets an operations manager record a partial delivery, then the rest, and the row shows it delivered', async () => {
    await opsPage.goto(commitmentsUrl());
    await row(opsPage, 'SO-PART').getByRole('button', { name: 'Record delivery for SO-PART' }).click();
    const form = opsPage.getByTestId('record-delivery');
    expect(await form.getByTestId('delivered-so-far').textContent()).toMatch(/0 of 10/);
    await form.getByLabel('Quantity').fill('4');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect.poll(() => form.getByRole('status').textContent(), slow).toContain('SO-PART: 4 of 10');
    await expect.poll(() => row(opsPage, 'SO-PART').getByTestId('commitment-delivered').textContent(), slow).toBe('4 / 10');
    expect(await row(opsPage, 'SO-PART').getByTestId('commitment-state').textContent()).toContain('approved');
    expect(await form.getByTestId('delivered-so-far').textContent()).toMatch(/4 of 10,[\s\S]*; 6 still to deliver/);

    // More than is still to deliver is refused beside the field, in a plain sentence, and nothing is written.
    await form.getByLabel('Quantity').fill('7');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    const quantity = form.getByLabel('Quantity');
    await expect.poll(() => quantity.getAttribute('aria-invalid'), slow).toBe('true');
    const describedBy = await quantity.getAttribute('aria-describedby');
    expect(await opsPage.locator(`[id="${describedBy}"]`).textContent()).toMatch(/^Must be at most 6, what is still to deliver/);
    expect((await stored('SO-PART')).deliveredQuantity).toBe(4);

    await quantity.fill('6');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect.poll(() => form.getByRole('status').textContent(), slow).toContain('SO-PART: 10 of 10');
    await expect.poll(() => row(opsPage, 'SO-PART').getByTestId('commitment-state').textContent(), slow).toContain('delivered');
    expect(await row(opsPage, 'SO-PART').getByTestId('commitment-delivered').textContent()).toBe('10 / 10');
    // Delivered in full, it takes no more: the row no longer offers the control.
    expect(
      await row(opsPage, 'SO-PART')
        .getByRole('button', { name: /Record delivery/ })
        .count(),
    ).toBe(0);
    expect(await stored('SO-PART')).toMatchObject({ status: 'delivered', deliveredQuantity: 10 });
    // And after a reload, from the API.
    await opsPage.reload();
    await expect.poll(() => row(opsPage, 'SO-PART').getByTestId('commitment-delivered').textContent(), slow).toBe('10 / 10');
    expect((await horizontalOverflow(opsPage)).scrollWidth).toBeLessThanOrEqual(390);
  });

  it('records a miss with its reason on the item page and says an occurrence was logged, linking to it', async () => {
    await opsPage.goto(`${app.api.baseUrl}/w/${team.workspaceId}/catalogue/${itemId}`);
    await opsPage.getByRole('button', { name: 'Record delivery for SO-MISS' }).click();
    const form = opsPage.getByTestId('record-delivery');
    await form.getByLabel('Missed').check();
    // Missed without a reason: refused beside the reason.
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect.poll(() => form.getByLabel('Reason').getAttribute('aria-invalid'), slow).toBe('true');
    await form.getByLabel('Reason').selectOption('transport');
    await form.getByLabel('Note (optional)').fill('Truck broke down');
    await form.getByText('Costs, if known (optional)').click();
    await form.getByLabel('expedite fees').fill('250');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    const status = form.getByRole('status');
    await expect
      .poll(() => status.textContent(), slow)
      .toMatch(/SO-MISS recorded as missed\. It was missed, so an occurrence was logged/);
    const missed = await stored('SO-MISS');
    expect(missed).toMatchObject({ status: 'missed' });
    expect(missed.leadTimeIssueId).toBeTruthy();
    expect(await status.getByRole('link', { name: 'See the occurrence' }).getAttribute('href')).toBe(
      `/w/${team.workspaceId}/issues/${missed.leadTimeIssueId}`,
    );
    expect(await opsPage.getByTestId('commitments').textContent()).toMatch(/SO-MISS[\s\S]*missed/);
    await status.getByRole('link', { name: 'See the occurrence' }).click();
    await opsPage.getByTestId('occurrence-table').waitFor();
    expect(await opsPage.getByTestId('occurrence-table').textContent()).toContain('SO-MISS');
  });

  it('says a late delivery logged an occurrence, and the row links to it', async () => {
    await opsPage.goto(commitmentsUrl());
    await expect.poll(() => row(opsPage, 'SO-LATE').getByTestId('commitment-state').textContent(), slow).toContain('overdue');
    await row(opsPage, 'SO-LATE').getByRole('button', { name: 'Record delivery for SO-LATE' }).click();
    const form = opsPage.getByTestId('record-delivery');
    await form.getByLabel('Quantity').fill('3');
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect
      .poll(() => form.getByRole('status').textContent(), slow)
      .toMatch(/SO-LATE: 3 of 3 delivered, in full\. It was late, so an occurrence was logged/);
    const late = await stored('SO-LATE');
    expect(late).toMatchObject({ status: 'delivered', deliveredQuantity: 3 });
    expect(late.deliveryOccurrenceId).toBeTruthy();
    const issueHref = `/w/${team.workspaceId}/issues/${late.leadTimeIssueId}`;
    expect(await form.getByRole('link', { name: 'See the occurrence' }).getAttribute('href')).toBe(issueHref);
    const state = row(opsPage, 'SO-LATE').getByTestId('commitment-state');
    expect(await state.getByRole('link', { name: 'occurrence logged' }).getAttribute('href')).toBe(issueHref);
    expect(await state.textContent()).not.toContain('overdue');
  });

  it('says plainly when the commitment was cancelled while the form was open, and writes nothing', async () => {
    await opsPage.goto(commitmentsUrl());
    await row(opsPage, 'SO-GONE').getByRole('button', { name: 'Record delivery for SO-GONE' }).click();
    const form = opsPage.getByTestId('record-delivery');
    await form.getByLabel('Quantity').fill('2');
    const gone = await stored('SO-GONE');
    const cancelled = await team.rep.call('cancelCommitment', {
      params: { workspaceId: team.workspaceId, itemId, commitmentId: gone.id },
      body: { expectedVersion: gone.version },
    });
    expect(cancelled.status).toBe(200);
    await form.getByRole('button', { name: 'Save delivery' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent(), slow)
      .toBe('The commitment is cancelled; it takes no delivery');
    expect(await stored('SO-GONE')).toMatchObject({ status: 'cancelled', deliveredQuantity: 0 });
  });

  it('imports the ERP’s deliveries from a pasted CSV and reports every row that was not applied', async () => {
    await opsPage.goto(commitmentsUrl());
    const panel = opsPage.getByTestId('import-deliveries');
    await panel.getByText('Import deliveries').first().click();
    const csv = [
      'reference,delivery,date,quantity',
      `SO-ERP,DN-1,${daysFromToday(0)},6`,
      `SO-NOBODY,DN-2,${daysFromToday(0)},1`,
      'SO-ERP,DN-3,not a date,1',
    ].join('\n');
    await panel.getByLabel('or paste the CSV').fill(csv);
    await panel.getByRole('button', { name: 'Import deliveries' }).click();
    await expect
      .poll(() => panel.getByTestId('import-counts').textContent(), slow)
      .toMatch(/1 applied.*1 not matched.*1 invalid/);
    const report = panel.getByTestId('import-report');
    expect(await report.textContent()).toMatch(/3\s*SO-NOBODY\s*not matched/);
    expect(await report.textContent()).toMatch(/4\s*SO-ERP\s*invalid\s*date/);
    expect(await report.textContent()).not.toContain('applied');
    await expect.poll(() => row(opsPage, 'SO-ERP').getByTestId('commitment-delivered').textContent(), slow).toBe('6 / 6');
    expect((await stored('SO-ERP')).status).toBe('delivered');

    // The same file again adds nothing twice.
    await panel.getByRole('button', { name: 'Import deliveries' }).click();
    await expect.poll(() => panel.getByTestId('import-counts').textContent(), slow).toMatch(/0 applied.*1 already applied/);
    expect((await stored('SO-ERP')).deliveredQuantity).toBe(6);
  });
});

describe('a rep', () => {
  it('sees the commitments and what was delivered, but no control to record or import deliveries', async () => {
    await repPage.goto(commitmentsUrl());
    await expect.poll(() => row(repPage, 'SO-PART').getByTestId('commitment-delivered').textContent(), slow).toBe('10 / 10');
    await row(repPage, 'SO-ERP').waitFor();
    expect(await repPage.getByRole('button', { name: /Record delivery/ }).count()).toBe(0);
    expect(await repPage.getByTestId('import-deliveries').count()).toBe(0);

    await repPage.goto(`${app.api.baseUrl}/w/${team.workspaceId}/catalogue/${itemId}`);
    await expect.poll(() => repPage.getByTestId('commitments').textContent(), slow).toContain('SO-PART');
    expect(await repPage.getByRole('button', { name: /Record delivery/ }).count()).toBe(0);
    // The API refuses them too, whatever the screen shows.
    const part = await stored('SO-ERP');
    const refused = await team.rep.call('recordDelivery', {
      params: { workspaceId: team.workspaceId, itemId, commitmentId: part.id },
      body: { date: daysFromToday(0), quantity: 1 },
    });
    expect(refused.status).toBe(403);
  });
});
