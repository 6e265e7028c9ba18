import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { routes } from '#contract/index';
import { asRouteTable, groupRoutes, writeEntries } from '#infra/function-groups';
import { lambdaEsbuildOptions } from '#infra/lambda-bundling';
import type { Figure } from './report';

const repoRoot = resolve(import.meta.dirname, '../..');
const limitKiB = 300;

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

/**
 * Bundles each function's generated entry exactly as the stack does (same
 * groups, same entry files, same esbuild options) plus the cold-start
 * baseline, and reports each size with its largest contributors.
 */
export async function measureBundles(outDir: string): Promise<{ figures: Figure[]; bundles: Bundle[]; baseline: Bundle }> {
  const groups = groupRoutes(asRouteTable(routes));
  const entries = writeEntries(groups, join(repoRoot, '.build', 'bench-entries'));
  const jobs = [
    ...groups.map((group) => ({ name: group.name, entry: entries.get(group.name) ?? '' })),
    { name: 'baseline', entry: join(import.meta.dirname, 'baseline-handler.ts') },
  ];
  const figures: Figure[] = [];
  const bundles: Bundle[] = [];
  const everything = new Map<string, number>();
  // Bundled side by side: esbuild runs them on its own threads.
  const built = await Promise.all(
    jobs.map(async (job) => {
      const file = join(outDir, job.name, 'index.mjs');
      const result = await build({ ...lambdaEsbuildOptions(job.entry, file), metafile: true, absWorkingDir: repoRoot });
      return { job, file, result };
    }),
  );
  for (const { job, file, result } of built) {
    const bytes = statSync(file).size;
    const top = contributors(result.metafile, file);
    bundles.push({ name: job.name, file, bytes });
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
  if (!baseline) throw new Error('baseline bundle missing');
  return { figures, bundles: bundles.filter((b) => b !== baseline), baseline };
}
