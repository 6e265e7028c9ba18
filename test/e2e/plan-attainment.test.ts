import { describe, expect, it } from 'vitest';
import { signedInPage, useBrowserApp } from '#test/support/browser';
import { meetingBody } from '#test/support/meetings';
import { agree, createCycle, planningTeam } from '#test/support/planning';

const app = useBrowserApp();

/** Two pumps planned in January 2027, one sold at 140 % of plan while the other is at 50 %. */
async function setUp(name: string) {
  const team = await planningTeam(app.api, name);
  const cycle = await createCycle(team, 'FY2027 attainment', { startDate: '2027-01-01', endDate: '2027-12-31' });
  const ids: Record<string, string> = {};
  for (const code of ['HOT-1', 'COLD-1']) {
    const item = await team.admin.call('createPortfolioItem', {
      params: { workspaceId: team.workspaceId },
      body: { code, name: `Item ${code}`, kind: 'product', unit: 'unit', family: 'Pumps' },
    });
    expect(item.status).toBe(201);
    ids[code] = item.body.id;
    await agree(team, cycle.id, item.body.id);
  }
  const params = { workspaceId: team.workspaceId, cycleId: cycle.id };
  const saved = await team.sales.call('saveSalesPlan', {
    params,
    body: {
      expectedVersion: null,
      cells: [
        { code: 'HOT-1', period: '2027-01', volume: 100 },
        { code: 'COLD-1', period: '2027-01', volume: 200 },
      ],
    },
  });
  expect(saved.status).toBe(200);
  for (const [code, reference, quantity, deliveryDate] of [
    ['HOT-1', 'SO-A1', 80, '2027-01-20'],
    ['HOT-1', 'SO-A2', 60, '2027-01-27'],
    ['COLD-1', 'SO-B1', 100, '2027-01-25'],
  ] as const) {
    const recorded = await team.rep.call('recordCommitment', {
      params: { workspaceId: team.workspaceId, itemId: ids[code] as string },
      body: { reference, quantity, deliveryDate },
    });
    expect(recorded.status).toBe(201);
  }
  return { team, cycleId: cycle.id };
}

describe('plan against actual in Chromium', () => {
  it('shows the commitments recorded against the plan on the plan screen, the ranking and the overview', async () => {
    const { team, cycleId } = await setUp('Attainment Pumps');
    const page = await signedInPage(app, team.rep, 'Rita Rep');
    const base = `${app.api.baseUrl}/w/${team.workspaceId}`;

    await page.goto(`${base}/cycles/${cycleId}/plan`);
    const table = page.getByTestId('plan-attainment');
    await table.waitFor();
    // 80 + 60 + 100 committed of 100 + 200 planned.
    expect(await page.getByTestId('plan-attainment-total').textContent()).toMatch(/240 committed of 300 planned,\s*80 % of plan/);
    const hot = table.locator('tr', { has: page.getByText('HOT-1', { exact: true }) });
    expect(await hot.textContent()).toContain('Far above plan');
    expect(await hot.getByTestId('attainment-item-total').textContent()).toMatch(/140 %\s*140 of 100/);
    const cold = table.locator('tr', { has: page.getByText('COLD-1', { exact: true }) });
    expect(await cold.getByTestId('attainment-item-total').textContent()).toMatch(/50 %\s*100 of 200/);
    expect(await cold.textContent()).not.toContain('Far above plan');
    expect(await page.getByTestId('plan-attainment-signals').textContent()).toContain(
      "HOT-1 (Pumps): 140 committed of 100 planned, 140 %, while the family's other items are at 50 %",
    );

    await page.goto(`${base}/ranking?cycle=${cycleId}`);
    const panel = page.getByTestId('attainment-summary');
    await panel.getByTestId('attainment-signals').waitFor();
    expect(await panel.getByTestId('attainment-total').textContent()).toMatch(/240 committed of 300 planned,\s*80 % of plan/);
    expect(await panel.getByTestId('attainment-signals').textContent()).toContain(
      'HOT-1 (Pumps): 140 committed of 100 planned, 140 %',
    );

    await page.goto(base);
    const home = page.getByTestId('attainment-summary');
    await home.getByTestId('attainment-total').waitFor();
    expect(await home.getByTestId('attainment-total').textContent()).toMatch(/FY2027 attainment: 240 committed of 300 planned/);
    expect(await home.getByTestId('attainment-signals').textContent()).toContain('HOT-1 (Pumps)');
  });

  it('proposes in the meeting backlog the item planned beyond flex, not the one within normal, and moves it into the agenda', async () => {
    const { team, cycleId } = await setUp('Backlog Pumps');
    // January 2027 has 21 working days: 100 a week gives 420, 504 with 20 % flex; HOT-1 goes beyond, COLD-1 stays within.
    const plan = await team.sales.call('getSalesPlan', { params: { workspaceId: team.workspaceId, cycleId } });
    const saved = await team.sales.call('saveSalesPlan', {
      params: { workspaceId: team.workspaceId, cycleId },
      body: { expectedVersion: plan.body.version, cells: [{ code: 'HOT-1', period: '2027-01', volume: 600 }] },
    });
    expect(saved.status).toBe(200);
    const meeting = await team.admin.call('createMeeting', {
      params: { workspaceId: team.workspaceId },
      body: meetingBody(cycleId),
    });
    expect(meeting.status).toBe(201);

    const page = await signedInPage(app, team.admin, 'Ada Admin');
    await page.goto(`${app.api.baseUrl}/w/${team.workspaceId}/meetings/${meeting.body.id}`);
    const backlog = page.locator('section.backlog');
    await backlog.getByText('Plan beyond flex: HOT-1', { exact: true }).waitFor();
    expect(await backlog.textContent()).toContain('96 planned beyond the flex band of threshold v1 in 2027-01 (600 against 504)');
    expect(await backlog.getByText('Plan beyond flex: COLD-1', { exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Add Plan beyond flex: HOT-1 to the agenda' }).click();
    // The entry links the item's threshold in the cycle, as the proposal did.
    const entry = page.getByTestId('agenda-entry').filter({ hasText: 'Plan beyond flex: HOT-1' });
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toContain('threshold v1');
    await expect.poll(() => backlog.getByText('The plan stays within the flex band of every threshold.').count()).toBe(1);
    await page.context().close();
  });
});
