import { type BenchTeam, ok, type Scenario } from './scenario-kit';

/** A cycle in draft and an item, with a plan of 12 months saved for the item (unless `saved` is false). */
async function plannedItem(t: BenchTeam, saved = true) {
  const cycle = await t.cycle();
  const item = await t.item();
  const path = `${t.w}/cycles/${cycle.id}/plan`;
  const cells = Array.from({ length: 12 }, (_, month) => ({
    code: item.code as string,
    period: `2026-${String(month + 1).padStart(2, '0')}`,
    volume: 100 + month,
  }));
  if (saved) await ok(t.sales.request('PUT', path, { expectedVersion: null, cells }), 'save plan');
  const dates = `from=${cycle.startDate as string}&to=${cycle.endDate as string}`;
  return { cycleId: cycle.id as string, dates, code: item.code as string, itemId: item.id as string, path, cells };
}

const planCsv = (code: string) =>
  [
    'code;period;volume',
    ...Array.from({ length: 12 }, (_, month) => `${code};2027-${String(month + 1).padStart(2, '0')};12,5`),
  ].join('\r\n');

/** A thresholds file: the item's capacity, with everything else a first version needs. */
const thresholdCsv = (code: string) =>
  [
    'code;capacityPerWeek;standardLeadTimeDays;flexLeadTimeDays;flexExtraCapacityPercent;expediteFeePercent;overtimeCostPerUnit;setupCost',
    `${code};120,5;10;5;20;8;12;400`,
  ].join('\r\n');

export function planScenarios(): Record<string, Scenario> {
  return {
    getSalesPlan: async (t) => ({ who: t.rep, method: 'GET', path: (await plannedItem(t)).path }),
    saveSalesPlan: async (t) => {
      const { path, cells } = await plannedItem(t, false);
      return {
        who: t.sales,
        method: 'PUT',
        path,
        body: { expectedVersion: null, cells },
        // Each cold start saves on top of the version the one before left, so every round is a save, not a conflict.
        callOfRound: async () => {
          const current = await ok<{ version: number | null }>(t.sales.request('GET', path), 'read plan');
          return { body: { expectedVersion: current.version, cells } };
        },
      };
    },
    previewSalesPlanCsv: async (t) => {
      const { cycleId, code } = await plannedItem(t);
      return { who: t.sales, method: 'POST', path: `${t.w}/cycles/${cycleId}/plan-csv/preview`, body: { csv: planCsv(code) } };
    },
    applySalesPlanCsv: async (t) => {
      const { cycleId, code } = await plannedItem(t);
      const csv = planCsv(code);
      const preview = await ok(t.sales.post(`${t.w}/cycles/${cycleId}/plan-csv/preview`, { csv }), 'preview plan');
      return {
        who: t.sales,
        method: 'POST',
        path: `${t.w}/cycles/${cycleId}/plan-csv/apply`,
        body: { csv, token: preview.token },
      };
    },
    getPlanLoad: async (t) => {
      const { cycleId, itemId } = await plannedItem(t);
      await t.agree(cycleId, itemId);
      return { who: t.ops, method: 'GET', path: `${t.w}/cycles/${cycleId}/plan/load` };
    },
    getPlanAttainment: async (t) => {
      const { cycleId, dates } = await plannedItem(t);
      // With the cycle's dates, as the screens pass them, the commitments are read beside the cycle.
      return { who: t.rep, method: 'GET', path: `${t.w}/cycles/${cycleId}/plan/attainment?${dates}` };
    },
    getPlanBacklog: async (t) => {
      const { cycleId, itemId } = await plannedItem(t);
      await t.agree(cycleId, itemId);
      return { who: t.ops, method: 'GET', path: `${t.w}/cycles/${cycleId}/plan/backlog` };
    },
    previewThresholdCsv: async (t) => {
      const { cycleId, code } = await plannedItem(t, false);
      return {
        who: t.ops,
        method: 'POST',
        path: `${t.w}/cycles/${cycleId}/thresholds-csv/preview`,
        body: { csv: thresholdCsv(code) },
      };
    },
    applyThresholdCsv: async (t) => {
      const { cycleId, code } = await plannedItem(t, false);
      const csv = thresholdCsv(code);
      const path = `${t.w}/cycles/${cycleId}/thresholds-csv`;
      const preview = await ok(t.ops.post(`${path}/preview`, { csv }), 'preview thresholds');
      return { who: t.ops, method: 'POST', path: `${path}/apply`, body: { csv, token: preview.token } };
    },
  };
}
