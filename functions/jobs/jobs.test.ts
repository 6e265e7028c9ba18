import { describe, expect, it } from 'vitest';
import { scheduleExpression, utcDay } from './define';
import { jobs } from './index';

describe('job schedules', () => {
  it('become EventBridge Scheduler expressions', () => {
    expect(scheduleExpression({ everyMinutes: 15 })).toBe('rate(15 minutes)');
    expect(scheduleExpression({ everyMinutes: 1 })).toBe('rate(1 minute)');
    expect(scheduleExpression({ everyMinutes: 60, utcHours: [6, 23] })).toBe('cron(0 6-23 * * ? *)');
    expect(scheduleExpression({ everyMinutes: 10, utcHours: [8, 17] })).toBe('cron(0/10 8-17 * * ? *)');
    expect(scheduleExpression({ everyMinutes: 180, utcHours: [0, 23] })).toBe('cron(0 0-23/3 * * ? *)');
  });

  it('refuse intervals a cron expression cannot keep and hours out of order', () => {
    expect(() => scheduleExpression({ everyMinutes: 7, utcHours: [6, 23] })).toThrow(/everyMinutes/);
    expect(() => scheduleExpression({ everyMinutes: 90 })).toThrow(/everyMinutes/);
    expect(() => scheduleExpression({ everyMinutes: 60, utcHours: [23, 6] })).toThrow(/utcHours/);
  });

  it('are declared once each, with names that fit a schedule name and a run marker key', () => {
    const names = jobs.map((job) => job.name);
    expect(new Set(names).size).toBe(names.length);
    for (const job of jobs) {
      expect(job.name).toMatch(/^[a-z][a-z0-9-]{2,40}$/);
      expect(() => scheduleExpression(job.schedule)).not.toThrow();
    }
  });

  it('count a daily period as the UTC day', () => {
    expect(utcDay(new Date('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30');
    expect(utcDay(new Date('2026-12-01T00:00:00Z'))).toBe('2026-12-01');
  });
});

describe('handlers that send mail', () => {
  it('are all listed for the stack to grant them SES', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { mailingHandlers } = await import('#functions/mail/senders');
    const root = resolve(import.meta.dirname, '..');
    // A handler sends mail when the mailer is among the modules it imports, directly or through others.
    const imports = (file: string): string[] =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/from '(#functions\/|\.\/)([^']+)'/g)].map(([, from, path]) =>
        from === './' ? join(file, '..', `${path}.ts`) : `${path}.ts`,
      );
    const reachesMailer = (file: string, seen = new Set<string>()): boolean => {
      if (file === 'mail/mailer.ts') return true;
      seen.add(file);
      return imports(file).some((next) => !seen.has(next) && reachesMailer(next, seen));
    };
    const mailing = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .map((file) => file.split('\\').join('/'))
      .filter((file) => /^[a-z]+\/handlers\/.+\.ts$/.test(file))
      .filter((file) => reachesMailer(file))
      .map((file) => file.replace(/\.ts$/, '').replace('/handlers/', '/'));
    expect(mailing.sort()).toEqual([...mailingHandlers].sort());
  });
});
