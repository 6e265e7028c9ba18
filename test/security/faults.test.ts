import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterAttribute } from '#contract/limits';
import { type Person, startApi, type TestApi, uniqueEmail } from '#test/support/api';
import { type OwnEngine, ownTableName, startOwnEngine, useEngine } from '#test/support/own-engine';
import { auditEvents, partitionItems } from '#test/support/snapshot';

/**
 * DynamoDB Local (on disk, a process of this test's own) is killed in the
 * middle of a write load and started again. Whatever the API acknowledged
 * must be there afterwards, no change may be half-applied, the errors in
 * between must be 503s, and the API must serve again without a restart.
 */
let engine: OwnEngine;
let restoreEnv: () => void;
let api: TestApi;
let admin: Person;
let workspaceId: string;

beforeAll(async () => {
  engine = await startOwnEngine();
  restoreEnv = useEngine(engine);
  api = await startApi();
  admin = await api.person('fault-admin');
  const created = await admin.call('createWorkspace', { body: { name: 'Faulty Pumps' } });
  expect(created.status).toBe(201);
  workspaceId = created.body.id;
}, 60_000);
afterAll(async () => {
  await api?.close();
  await engine?.stop();
  restoreEnv?.();
});

type Phase = 'before' | 'down' | 'after';

interface Outcome {
  phase: Phase;
  kind: 'item' | 'member';
  key: string;
  status: number;
  at: number;
}

describe('a database crash under write load', () => {
  it('keeps every acknowledged write, applies no change by halves, answers 503 meanwhile and recovers by itself', async () => {
    const outcomes: Outcome[] = [];
    let phase: Phase = 'before';
    let running = true;
    let sequence = 0;
    let killedAt = Number.POSITIVE_INFINITY;

    async function worker(id: number) {
      while (running) {
        const n = sequence++;
        const currentPhase = phase;
        if ((n + id) % 3 === 0) {
          const email = uniqueEmail(`fault${n}`);
          const response = await admin.call('inviteMember', {
            params: { workspaceId },
            body: { email, function: 'sales', role: 'rep' },
          });
          outcomes.push({ phase: currentPhase, kind: 'member', key: email, status: response.status, at: Date.now() - killedAt });
        } else {
          const code = `F-${n}`;
          const response = await admin.call('createPortfolioItem', {
            params: { workspaceId },
            body: {
              code,
              name: `Fault item ${n}`,
              kind: 'product',
              unit: 'unit',
            },
          });
          outcomes.push({ phase: currentPhase, kind: 'item', key: code, status: response.status, at: Date.now() - killedAt });
        }
        if (phase === 'down') await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    const workers = Array.from({ length: 6 }, (_, id) => worker(id));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    phase = 'down';
    killedAt = Date.now();
    await engine.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await engine.restart();
    phase = 'after';
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    running = false;
    await Promise.all(workers);

    const acknowledged = outcomes.filter((o) => o.status >= 200 && o.status < 300);
    const refused = outcomes.filter((o) => o.status >= 300);
    const statusesOf = (p: Phase) => [...new Set(outcomes.filter((o) => o.phase === p).map((o) => o.status))].sort();
    expect(refused.map((o) => o.status).every((s) => s === 503)).toBe(true);
    expect(acknowledged.filter((o) => o.phase === 'before').length).toBeGreaterThan(0);
    expect(acknowledged.filter((o) => o.phase === 'after').length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.phase === 'down' && o.status === 503).length).toBeGreaterThan(0);

    const stored = await partitionItems(workspaceId, engine.endpoint, ownTableName);
    const items = stored.filter((i) => i.type === 'PortfolioItem');
    const codes = stored.filter((i) => i.type === 'PortfolioCode');
    const members = stored.filter((i) => i.type === 'Member');
    const audits = (await auditEvents(workspaceId, engine.endpoint, ownTableName)).filter((i) => i.type === 'AuditEvent');
    const workspace = stored.find((i) => i.sk === 'WORKSPACE') ?? {};

    // Every acknowledged write is there.
    const itemCodes = new Set(items.map((i) => i.code));
    const memberEmails = new Set(members.map((m) => m.email));
    const missing = acknowledged.filter((o) => (o.kind === 'item' ? !itemCodes.has(o.key) : !memberEmails.has(o.key)));
    expect(missing).toEqual([]);

    // No change is half-applied: each item has its code marker and its audit event, each member its audit event,
    // and the counters on the workspace equal the records they count.
    const auditedIds = new Set(audits.map((a) => a.entityId));
    expect(items.filter((i) => !codes.some((c) => c.itemId === i.id))).toEqual([]);
    expect(codes.filter((c) => !items.some((i) => i.id === c.itemId))).toEqual([]);
    expect(items.filter((i) => !auditedIds.has(i.id))).toEqual([]);
    expect(members.filter((m) => m.email !== admin.email && !auditedIds.has(m.email))).toEqual([]);
    expect(audits.filter((a) => a.entity === 'portfolioItem' && !items.some((i) => i.id === a.entityId))).toEqual([]);
    expect(workspace[counterAttribute('portfolioItems')]).toBe(items.length);
    expect(workspace[counterAttribute('members')]).toBe(members.length);
    expect(workspace.adminCount).toBe(members.filter((m) => m.role === 'admin').length);

    console.log(
      `faults: ${outcomes.length} writes (${acknowledged.length} acknowledged, all present; ${refused.length} refused with 503); ` +
        `statuses before ${statusesOf('before')}, while down ${statusesOf('down')}, after restart ${statusesOf('after')}; ` +
        `${items.length} items, ${members.length} members, ${audits.length} audit events consistent`,
    );
  }, 120_000);
});
