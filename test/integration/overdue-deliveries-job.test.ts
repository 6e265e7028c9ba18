import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '#contract/working-days';
import { startApi, type TestApi } from '#test/support/api';
import { agreedItem, daysFromToday, seedCommitment, today } from '#test/support/deliveries';
import { jobNames, overdueOn, runJobAt } from '#test/support/jobs';
import { mailsIn } from '#test/support/outbox';
import { type PlanningTeam, planningTeam } from '#test/support/planning';

const outbox = mkdtempSync(join(tmpdir(), 'accord-overdue-outbox-'));
let api: TestApi;
let team: PlanningTeam;
beforeAll(async () => {
  process.env.MAIL_OUTBOX_DIR = outbox;
  api = await startApi({ outboxDir: outbox });
  team = await planningTeam(api, 'Overdue Pumps');
});
afterAll(async () => {
  delete process.env.MAIL_OUTBOX_DIR;
  await api.close();
});

const noticesAbout = (reference: string) => mailsIn(outbox).filter((message) => message.subject.includes(reference));

/** Runs the job for a day until its period is done: other tests' commitments share the queue, and a run is capped. */
async function runUntilDone(day: string) {
  const now = new Date(`${day}T07:00:00Z`);
  for (let run = 0; run < 20; run += 1) {
    const result = await runJobAt('overdue-deliveries', now);
    if (!result.ran || result.done) return result;
  }
  throw new Error(`the overdue job did not finish ${day}`);
}

describe('the overdue-deliveries job', () => {
  it('is declared with the other jobs', () => {
    expect(jobNames()).toContain('overdue-deliveries');
  });

  it('tells the rep once when the promised date passed without the full delivery, never for a delivered one', async () => {
    const on = await agreedItem(team, 'DUE-1');
    const suffix = crypto.randomUUID().slice(0, 8);
    const late = await seedCommitment(team, on, { reference: `SO-LATE-${suffix}`, promisedDate: daysFromToday(2), quantity: 10 });
    const done = await seedCommitment(team, on, { reference: `SO-DONE-${suffix}`, promisedDate: daysFromToday(2), quantity: 4 });
    const partly = await team.ops.call('recordDelivery', {
      params: { workspaceId: team.workspaceId, itemId: on.item.id, commitmentId: late.id },
      body: { date: today(), quantity: 3 },
    });
    expect(partly.status).toBe(201);
    const full = await team.ops.call('recordDelivery', {
      params: { workspaceId: team.workspaceId, itemId: on.item.id, commitmentId: done.id },
      body: { date: today(), quantity: 4 },
    });
    expect(full.body.status).toBe('delivered');

    // Before the promised date passes, nothing is overdue.
    const early = await overdueOn(daysFromToday(2), new Date(`${daysFromToday(1)}T07:00:00Z`));
    expect(early).not.toContain(late.id);

    // A day of its own, years ahead, so no earlier run of the job holds it.
    const day = addDays(today(), 400 + Math.floor(Math.random() * 4000));
    const first = await runUntilDone(day);
    expect(first.ran).toBe(true);
    const notices = noticesAbout(`SO-LATE-${suffix}`);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ to: team.rep.email });
    expect(notices[0]?.text).toContain('3 were delivered so far');
    expect(noticesAbout(`SO-DONE-${suffix}`)).toHaveLength(0);

    const again = await runJobAt('overdue-deliveries', new Date(`${day}T09:00:00Z`));
    expect(again.ran).toBe(false);
    await runUntilDone(addDays(day, 1));
    expect(noticesAbout(`SO-LATE-${suffix}`)).toHaveLength(1);
  });
});
