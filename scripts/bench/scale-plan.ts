import type { Caller } from '#contract/views';
import type { Person, TestApi } from '#test/support/api';
import { generateItems } from './generate';
import type { Figure } from './report';
import { type BenchTeam, benchTeam } from './requests';
import { ok } from './scenario-kit';

const callerOf = (person: Person): Caller => ({ sub: person.email, email: person.email, name: person.email });

/** A workspace with `items` items and a draft cycle of 2026's twelve months; answers the plan's path and the CSV of a plan for every item. */
export async function planWorkspace(api: TestApi, name: string, items: number) {
  const team: BenchTeam = await benchTeam(api, name);
  await generateItems(team.workspaceId, callerOf(team.admin), items);
  const cycle = await ok(
    team.admin.post(`${team.w}/cycles`, { name: `${name} plan`, startDate: '2026-01-01', endDate: '2026-12-31' }),
    'create cycle',
  );
  const path = `${team.w}/cycles/${cycle.id}`;
  const plan = await ok(team.sales.get(`${path}/plan`), 'read plan');
  const codes: string[] = plan.families.flatMap((family: { items: Array<{ code: string }> }) =>
    family.items.map((item) => item.code),
  );
  const rows = codes.flatMap((code) =>
    Array.from({ length: 12 }, (_, month) => `${code};2026-${String(month + 1).padStart(2, '0')};${100 + month},5`),
  );
  return { team, path, csv: ['code;period;volume', ...rows].join('\r\n') };
}

/** Preview and apply a plan file; answers the apply's time in ms. */
async function importPlan(who: Person, path: string, csv: string): Promise<number> {
  const start = performance.now();
  const preview = await ok(who.post(`${path}/plan-csv/preview`, { csv }), 'preview plan');
  await ok(who.post(`${path}/plan-csv/apply`, { csv, token: preview.token }), 'apply plan');
  return performance.now() - start;
}

/**
 * The sales plan at scale: importing 500 × 12 cells against 10 × 12 (the
 * time per cell must not grow), and the load view of 500 × 12 in at most two
 * round trips.
 */
export async function measurePlanScale(api: TestApi): Promise<Figure[]> {
  const small = await planWorkspace(api, 'Plan small', 10);
  const large = await planWorkspace(api, 'Plan large', 500);
  const smallMs = await importPlan(small.team.sales, small.path, small.csv);
  const largeMs = await importPlan(large.team.sales, large.path, large.csv);
  const load = await large.team.ops.get(`${large.path}/plan/load`);
  if (load.status !== 200) throw new Error(`load view answered ${load.status}`);
  const trips = Number(load.headers.get('x-accord-db-round-trips') ?? Number.NaN);
  const requests = Number(load.headers.get('x-accord-db-requests') ?? Number.NaN);
  return [
    {
      section: 'scale',
      name: 'plan import: 500 × 12 vs 10 × 12 cells, growth / linear',
      value: largeMs / smallMs / 50,
      unit: '×',
      target: { op: '<=', limit: 1 },
      note: `${largeMs.toFixed(0)} ms vs ${smallMs.toFixed(0)} ms (preview and apply)`,
    },
    {
      section: 'scale',
      name: 'plan load view of 500 × 12: round trips',
      value: trips,
      unit: 'trips',
      target: { op: '<=', limit: 2 },
      note: `${requests} DynamoDB requests`,
    },
  ];
}
