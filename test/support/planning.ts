import { expect } from 'vitest';
import { pumpTerms } from '../../scripts/local/demo';
import { type Person, signInAs, type TestApi, uniqueEmail } from './api';
import { type BodyOf, present } from './client';

export { pumpTerms };

export interface PlanningTeam {
  workspaceId: string;
  admin: Person;
  sales: Person;
  ops: Person;
  rep: Person;
  marketing: Person;
  opsRep: Person;
}

/** A workspace with the people a planning meeting needs, each with their function and role. */
export async function planningTeam(api: TestApi, name = 'Planning Co'): Promise<PlanningTeam> {
  const admin = await api.person('admin');
  const created = await admin.call('createWorkspace', { body: { name } });
  expect(created.status).toBe(201);
  const workspaceId = created.body.id as string;
  const invite = async (label: string, fn: BodyOf<'inviteMember'>['function'], role: BodyOf<'inviteMember'>['role']) => {
    const email = uniqueEmail(label);
    const response = await admin.call('inviteMember', {
      params: { workspaceId },
      body: { email, name: label, function: fn, role },
    });
    expect(response.status).toBe(201);
    return signInAs(api, email, label);
  };
  return {
    workspaceId,
    admin,
    sales: await invite('sam-sales', 'sales', 'manager'),
    ops: await invite('olga-ops', 'operations', 'manager'),
    rep: await invite('rita-rep', 'sales', 'rep'),
    marketing: await invite('mia-marketing', 'marketing', 'manager'),
    opsRep: await invite('omar-ops', 'operations', 'rep'),
  };
}

export async function createItem(team: PlanningTeam, code: string, kind: BodyOf<'createPortfolioItem'>['kind'] = 'product') {
  const response = await team.admin.call('createPortfolioItem', {
    params: { workspaceId: team.workspaceId },
    body: {
      code,
      name: `${code} pump`,
      kind,
      unit: kind === 'product' ? 'unit' : 'hour',
    },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; code: string };
}

export async function createCycle(team: PlanningTeam, name = 'FY2027 budget', extra: Record<string, unknown> = {}) {
  const response = await team.admin.call('createCycle', {
    params: { workspaceId: team.workspaceId },
    body: {
      name,
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      ...extra,
    },
  });
  expect(response.status).toBe(201);
  return response.body as { id: string; version: number; copied: number };
}

/** Saves a version and has sales and operations sign it, so it is what reps see. */
export async function agree(team: PlanningTeam, cycleId: string, itemId: string, terms = pumpTerms) {
  const current = await team.sales.call('getThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId } });
  const saved = await team.sales.call('saveThreshold', {
    params: { workspaceId: team.workspaceId, cycleId, itemId },
    body: { terms, expectedVersion: current.body.threshold?.version ?? null },
  });
  expect(saved.status).toBe(200);
  const version = saved.body.version as number;
  expect(
    (await team.sales.call('signOffThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId, version } })).status,
  ).toBe(201);
  const agreed = await team.ops.call('signOffThreshold', { params: { workspaceId: team.workspaceId, cycleId, itemId, version } });
  expect(agreed.status).toBe(201);
  expect(present(agreed.body.agreed, 'the agreed version').version).toBe(version);
  return version;
}
