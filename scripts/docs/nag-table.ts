/**
 * Rewrites the table of accepted cdk-nag findings in docs/deploy.md from
 * `infra/nag.ts`, the one place their reasons are written, and formats it
 * as the rest of the repository. The infra test fails when the guide's table
 * and the acknowledgements differ.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { acknowledgementTable, acknowledgementTableMarkers } from '#infra/nag';

const file = resolve(import.meta.dirname, '../../docs/deploy.md');
const guide = readFileSync(file, 'utf8');
const start = guide.indexOf(acknowledgementTableMarkers.start);
const end = guide.indexOf(acknowledgementTableMarkers.end);
if (start < 0 || end < start) throw new Error(`docs/deploy.md has no generated table: add the markers of infra/nag.ts`);
const next = guide.slice(0, start) + acknowledgementTable() + guide.slice(end + acknowledgementTableMarkers.end.length);
writeFileSync(file, next);
// The repository's formatter pads Markdown tables; the infra test compares cells, not padding.
execFileSync('npx', ['biome', 'format', '--write', file], { stdio: 'ignore' });
console.log(readFileSync(file, 'utf8') === guide ? 'docs/deploy.md is up to date' : 'docs/deploy.md: table rewritten');
