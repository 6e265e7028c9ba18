import { describe, expect, it } from 'vitest';
import { type Job, runJob } from './define';
import { claimJobRun } from './job-runs';
import { handler as jobsHandler } from './lambda';

describe('running a job', () => {
  it('runs a period again after a partial run, never after a done one', async () => {
    const name = `test-${crypto.randomUUID().slice(0, 8)}`;
    const effects: string[] = [];
    let left = 2;
    const job: Job = {
      name,
      summary: 'counts its runs',
      schedule: { everyMinutes: 60 },
      period: (now) => now.toISOString().slice(0, 10),
      leaseMs: 60_000,
      run: async ({ period }) => {
        effects.push(period);
        left -= 1;
        return { done: left === 0, summary: { left } };
      },
    };
    const now = new Date('2026-11-30T08:00:00Z');
    expect(await runJob(job, now)).toMatchObject({ ran: true, done: false, runs: 1 });
    expect(await runJob(job, now)).toMatchObject({ ran: true, done: true, runs: 2 });
    expect(await runJob(job, now)).toEqual({ ran: false, period: '2026-11-30' });
    expect(await runJob(job, new Date('2026-12-01T08:00:00Z'))).toMatchObject({ ran: true, runs: 1 });
    expect(effects).toEqual(['2026-11-30', '2026-11-30', '2026-12-01']);
  });

  it('lets a run take over a period only once the run holding it has outlived its lease', async () => {
    const name = `lease-${crypto.randomUUID().slice(0, 8)}`;
    const now = new Date('2026-11-30T08:00:00Z');
    expect(await claimJobRun(name, 'p', now, 60_000)).toBeDefined();
    expect(await claimJobRun(name, 'p', new Date(now.getTime() + 30_000), 60_000)).toBeUndefined();
    expect(await claimJobRun(name, 'p', new Date(now.getTime() + 61_000), 60_000)).toMatchObject({ runs: 2 });
  });

  it('refuses, through the jobs function, a job that is not declared', async () => {
    await expect(jobsHandler({ job: 'no-such-job' })).rejects.toThrow('No job named no-such-job');
    await expect(jobsHandler({})).rejects.toThrow();
  });
});
