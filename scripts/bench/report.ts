import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** One measured figure: a count or a ratio held to a target, or a number kept as information. */
export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** The bound the value must keep; absent for figures shown as information only. */
  target?: { op: '<=' | '>='; limit: number };
  /** Extra words shown after the figure: absolute timings behind a ratio, a reason, the top contributors. */
  note?: string;
  /** For a median of repeated measurements: its quartiles and range, kept in the JSON. */
  spread?: { median: number; q1: number; q3: number; min: number; max: number };
}

export const holds = (figure: Figure): boolean =>
  !figure.target || (figure.target.op === '<=' ? figure.value <= figure.target.limit : figure.value >= figure.target.limit);

const format = (value: number) =>
  Number.isInteger(value) ? String(value) : Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);

/** Prints the figures as a table: value, target, the value as a share of its target, and whether it holds. */
export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.section,
    f.name,
    `${format(f.value)} ${f.unit}`.trim(),
    f.target ? `${f.target.op} ${format(f.target.limit)}` : '',
    f.target && f.target.limit !== 0 ? (f.value / f.target.limit).toFixed(2) : '',
    f.target ? (holds(f) ? 'ok' : 'MISSED') : 'info',
    f.note ?? '',
  ]);
  const header = ['section', 'figure', 'value', 'target', 'of target', 'status', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 6 ? 0 : (r[i] ?? '').length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 6 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

/** The machine a run was measured on, stored with its figures because every absolute number depends on it. */
export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  };
}

export interface Run {
  quick: boolean;
  startedAt: string;
  /** The sections run (`--only=`), or all. */
  sections: string[] | 'all';
  seconds: number;
  figures: Figure[];
}

/**
 * Writes the run under `.bench/` (git-ignored): one JSON file per run, and
 * `latest.json` and `latest.md` for the latest. The table is never pasted
 * into a committed file; BENCHMARKS.md keeps the targets and the design log.
 */
export function writeRun(dir: string, run: Run): string {
  mkdirSync(dir, { recursive: true });
  const failed = run.figures.filter((f) => !holds(f)).length;
  const content = JSON.stringify({ ...run, machine: machine(), failed }, null, 2);
  const file = join(dir, `run-${run.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, content);
  writeFileSync(join(dir, 'latest.json'), content);
  writeFileSync(join(dir, 'latest.md'), `${heading(run, failed)}\n${markdown(run.figures)}`);
  return file;
}

function heading(run: Run, failed: number): string {
  const m = machine();
  const sections = run.sections === 'all' ? 'all sections' : `sections ${run.sections.join(', ')}`;
  return [
    `# Bench run ${run.startedAt}`,
    '',
    `\`npm run bench${run.quick ? ' -- --quick' : ''}\`, ${sections}, ${Math.round(run.seconds)} s, on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    `${run.figures.length} figures, ${failed} targets missed.`,
    '',
  ].join('\n');
}

/** The figures as a Markdown table. */
export function markdown(figures: Figure[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| Section | Figure | Value | Target | Status | Note |', '|---|---|---|---|---|---|'];
  for (const f of figures) {
    const target = f.target ? `${f.target.op} ${format(f.target.limit)}` : '';
    const status = f.target ? (holds(f) ? 'ok' : '**missed**') : 'info';
    lines.push(
      `| ${f.section} | ${cell(f.name)} | ${format(f.value)} ${f.unit} | ${target} | ${status} | ${cell(f.note ?? '')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
