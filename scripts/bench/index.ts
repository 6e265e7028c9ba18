/**
 * `npm run bench`: measures what keeps Accord fast (issue 8) and prints a table
 * of figures with their targets; `-- --quick` runs a smaller version. Exits
 * non-zero only when a target is missed. Timings are ratios against baselines
 * measured in the same run, so a slow or busy machine moves both sides. The
 * run is written to `.bench/latest.md` and `.bench/latest.json`; targets and
 * method: BENCHMARKS.md. Sections (`--only=a,b`): bundle, requests, cold (cold
 * init and first answer), throughput, far-date, scale, web.
 */
import { join, resolve } from 'node:path';
import { routes } from '#contract/index';
import { asRouteTable, groupRoutes } from '#infra/function-groups';
import { measureBundles } from './bundles';
import { startBenchDatabase } from './database';
import { type Figure, holds, printTable, writeRun } from './report';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string) => !only || only.includes(section);
// `--functions=a,b` limits cold init to those functions (names as in the bundle section), to study one or two.
const functionsWanted = args
  .find((arg) => arg.startsWith('--functions='))
  ?.slice('--functions='.length)
  .split(',');

// The API's request log lines would bury the table; `ACCORD_LOG=info npm run bench` shows them.
process.env.ACCORD_LOG ??= 'silent';

const repoRoot = resolve(import.meta.dirname, '../..');
const outDir = join(repoRoot, '.bench');
const startedAt = new Date().toISOString();
const figures: Figure[] = [];
const started = Date.now();
const step = (what: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)} s] ${what}`);

// Bundles are what cold init starts, so they are built for either section and skipped for the others.
const bundled = wanted('bundle') || wanted('cold') ? await bundleFunctions() : undefined;
async function bundleFunctions() {
  step('bundling each function as the stack does');
  const measured = await measureBundles(join(outDir, 'bundles'));
  if (wanted('bundle')) figures.push(...measured.figures);
  return measured;
}

step('starting DynamoDB Local (in memory)');
const database = await startBenchDatabase();
try {
  // Imported only now: the store reads its endpoint and table at import.
  const { startApi } = await import('#test/support/api');
  const { measureRequests } = await import('./requests');
  const api = await startApi();
  try {
    if (wanted('requests') || wanted('cold')) {
      step('database requests per route');
      const { figures: requestFigures, calls } = await measureRequests(api);
      if (wanted('requests')) figures.push(...requestFigures);
      if (wanted('cold') && bundled) {
        const { bundles, baseline, replay, probes } = bundled;
        step('cold init of each function');
        const { measureColdInit } = await import('./cold-init');
        const groupOf = new Map(groupRoutes(asRouteTable(routes)).flatMap((g) => g.routes.map((r) => [r.name, g.name] as const)));
        // Fifteen rounds, quick or not: with nine, a figure's median moved about ±0.06 between runs on a 2-core
        // machine's noise, enough for one of 36 functions near 1.2× to cross 1.3× in most runs.
        const pairs = 15;
        const measured = functionsWanted ? bundles.filter((b) => functionsWanted.includes(b.name)) : bundles;
        const probed = functionsWanted ? [] : probes;
        figures.push(
          ...(await measureColdInit(
            measured,
            { baseline, replay },
            probed,
            calls,
            api.auth,
            groupOf,
            pairs,
            database.process.pid,
          )),
        );
      }
    }
    if (wanted('throughput')) {
      step('API throughput against DynamoDB Local');
      const { measureThroughput } = await import('./throughput');
      figures.push(...(await measureThroughput(api, quick)));
    }
    if (wanted('far-date')) {
      step('far-date promise checks beside a health probe');
      const { measureFarDate } = await import('./far-date');
      figures.push(...(await measureFarDate(api, quick)));
    }
    if (wanted('scale')) {
      step('scale');
      const { measureScale } = await import('./scale');
      figures.push(...(await measureScale(api, quick)));
    }
  } finally {
    await api.close();
  }
  if (wanted('web')) {
    step('web weight and Lighthouse');
    const { measureWeb } = await import('./web');
    figures.push(...(await measureWeb(quick)));
  }
} finally {
  await database.stop();
}

printTable(figures);
const file = writeRun(outDir, { quick, startedAt, sections: only ?? 'all', seconds: (Date.now() - started) / 1000, figures });
const missed = figures.filter((figure) => !holds(figure));
console.log(`\n${figures.length} figures, ${missed.length} targets missed; written to ${file} and .bench/latest.md`);
step('done');
process.exit(missed.length > 0 ? 1 : 0);
