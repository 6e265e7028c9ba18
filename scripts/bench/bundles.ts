import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { routes } from '#contract/index';
import { asRouteTable, groupRoutes, writeEntries } from '#infra/function-groups';
import { lambdaEsbuildOptions } from '#infra/lambda-bundling';
import type { Figure } from './report';

const repoRoot = resolve(import.meta.dirname, '../..');
/** The bundle budget: docs/decisions/0002-bundle-budget.md. */
export const limitKiB = 300;

export interface Bundle {
  name: string;
  file: string;
  bytes: number;
}

/** Where an input of the bundle comes from: its npm package, or Accord's own code by top folder. */
function ownerOf(input: string): string {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (match?.[1]) return match[1];
  const parts = input.split('/');
  return parts[0] === 'functions' ? `functions/${parts[1] ?? ''}` : (parts[0] ?? input);
}

function contributors(metafile: Metafile, outfile: string): Array<[string, number]> {
  const output = Object.entries(metafile.outputs).find(([path]) => resolve(repoRoot, path) === outfile)?.[1];
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const owner = ownerOf(input);
    totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
  }
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

const kib = (bytes: number) => bytes / 1024;

/** A module imported only to time its initialisation, after the packages it left out (`preload`). */
export interface Probe extends Bundle {
  preload: string[];
}

/**
 * Modules bundled only to see where cold init goes (`scripts/bench/probes/`),
 * not functions, so not held to the budget. The route table once with zod
 * inside, once with zod left out and imported before the measured import: the
 * second is what building the schemas at module load costs on its own.
 */
const probes: Array<{ name: string; entry: string; external?: string[] }> = [
  { name: 'route-table', entry: 'route-table' },
  { name: 'route-table-schemas', entry: 'route-table', external: ['zod'] },
];
const probeNames = probes.map((probe) => probe.name);

/**
 * Bundles each function's generated entry exactly as the stack does (same
 * groups, same entry files, same esbuild options) plus the cold-start
 * baselines (bare GetItem, and the replay of a first answer's requests) and the init probes, and reports each function's size with its
 * largest contributors.
 */
export async function measureBundles(
  outDir: string,
): Promise<{ figures: Figure[]; bundles: Bundle[]; baseline: Bundle; replay: Bundle; probes: Probe[] }> {
  const groups = groupRoutes(asRouteTable(routes));
  const entries = writeEntries(groups, join(repoRoot, '.build', 'bench-entries'));
  const jobs: Array<{ name: string; entry: string; external?: string[] }> = [
    ...groups.map((group) => ({ name: group.name, entry: entries.get(group.name) ?? '' })),
    { name: 'baseline', entry: join(import.meta.dirname, 'baseline-handler.ts') },
    { name: 'replay', entry: join(import.meta.dirname, 'replay-handler.ts') },
    ...probes.map((probe) => ({ ...probe, entry: join(import.meta.dirname, 'probes', `${probe.entry}.ts`) })),
  ];
  const figures: Figure[] = [];
  const bundles: Bundle[] = [];
  const everything = new Map<string, number>();
  // Bundled side by side: esbuild runs them on its own threads.
  const built = await Promise.all(
    jobs.map(async (job) => {
      const file = join(outDir, job.name, 'index.mjs');
      const options = lambdaEsbuildOptions(job.entry, file);
      const external = [...(options.external ?? []), ...(job.external ?? [])];
      const result = await build({ ...options, external, metafile: true, absWorkingDir: repoRoot });
      return { job, file, result };
    }),
  );
  for (const { job, file, result } of built) {
    const bytes = statSync(file).size;
    const top = contributors(result.metafile, file);
    bundles.push({ name: job.name, file, bytes });
    if (probeNames.includes(job.name) || job.name === 'replay') continue;
    if (job.name !== 'baseline')
      for (const [owner, size] of top) everything.set(owner, Math.max(everything.get(owner) ?? 0, size));
    figures.push({
      section: 'bundle',
      name: job.name === 'baseline' ? 'baseline (bare GetItem handler)' : job.name,
      value: kib(bytes),
      unit: 'KiB',
      target: job.name === 'baseline' ? undefined : { op: '<=', limit: limitKiB },
      note: top
        .slice(0, 4)
        .map(([owner, size]) => `${owner} ${kib(size).toFixed(0)}`)
        .join(', '),
    });
  }
  const largest = [...everything.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  figures.push({
    section: 'bundle',
    name: 'largest contributors (KiB, in any function)',
    value: largest.length,
    unit: '',
    note: largest.map(([owner, size]) => `${owner} ${kib(size).toFixed(0)}`).join(', '),
  });
  const baseline = bundles.find((b) => b.name === 'baseline');
  const replay = bundles.find((b) => b.name === 'replay');
  if (!baseline || !replay) throw new Error('baseline bundles missing');
  const probed = bundles
    .filter((b) => probeNames.includes(b.name))
    .map((b) => ({ ...b, preload: probes.find((p) => p.name === b.name)?.external ?? [] }));
  return {
    figures,
    bundles: bundles.filter((b) => b !== baseline && b !== replay && !probeNames.includes(b.name)),
    baseline,
    replay,
    probes: probed,
  };
}
