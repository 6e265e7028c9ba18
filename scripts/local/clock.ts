import { type Job, runJob } from '#functions/jobs/define';

/**
 * The local stand-in for EventBridge Scheduler: inside `npm start`, each job
 * runs once the server is up and then every `everyMinutes`, through the same
 * `runJob` the jobs function calls, so its run markers keep it to one effect
 * per period here too. The UTC hours of a schedule are not applied locally.
 */
export function startClock(jobs: readonly Job[], log: (line: string) => void = console.log): { stop(): void } {
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try {
        const result = await runJob(job);
        if (result.ran) log(`Job ${job.name} (${result.period}): ${JSON.stringify(result.summary)}`);
      } catch (error) {
        log(`Job ${job.name} failed: ${(error as Error).message}`);
      } finally {
        running = false;
      }
    };
    void tick();
    const timer = setInterval(tick, job.schedule.everyMinutes * 60_000);
    timer.unref();
    timers.push(timer);
  }
  return { stop: () => timers.forEach(clearInterval) };
}
