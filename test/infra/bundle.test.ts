import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { routes } from '#contract/index';
import { asRouteTable, groupRoutes, writeEntries } from '#infra/function-groups';
import { lambdaEsbuildOptions } from '#infra/lambda-bundling';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The bundle budget of every function, in KiB (BENCHMARKS.md). */
const budgetKiB = 300;

/**
 * `npx cdk synth` bundles every function; the template tests skip that. This
 * bundles one generated entry the way `ApiFunction` does (ESM, node24,
 * minified, `require` banner) and calls it, so a broken entry or router shows
 * up in `npm test` and not first on Lambda.
 */
describe('a generated function entry', () => {
  it('bundles to one ESM file with its handlers inside and serves its route', async () => {
    const [group] = groupRoutes({ health: routes.health });
    if (!group) throw new Error('no group');
    const entries = writeEntries([group], resolve(import.meta.dirname, '../../.build/test-entries/bundle'));
    const outfile = join(mkdtempSync(join(tmpdir(), 'accord-bundle-')), 'index.mjs');
    await build({
      entryPoints: [entries.get(group.name) ?? ''],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    const bundled = (await import(pathToFileURL(outfile).href)) as {
      handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body?: string }>;
    };
    const event = {
      version: '2.0',
      routeKey: 'GET /api/health',
      rawPath: '/api/health',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/api/health', sourceIp: '127.0.0.1' },
        requestId: 'r1',
        routeKey: 'GET /api/health',
      },
    } as unknown as APIGatewayProxyEventV2;
    const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'a1' } as unknown as Context;
    const answer = await bundled.handler(event, context);
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body ?? '')).toEqual({ status: 'ok' });
  });
});

describe('every function bundle', () => {
  it('stays within the budget, and carries zod/mini but no zod classic or locale', async () => {
    const groups = groupRoutes(asRouteTable(routes));
    const entries = writeEntries(groups, join(repoRoot, '.build/test-entries/budget'));
    const functions = [
      ...groups.map((group) => ({ name: group.name, entry: entries.get(group.name) ?? '' })),
      { name: 'jobs', entry: join(repoRoot, 'functions/jobs/lambda.ts') },
    ];
    const outDir = mkdtempSync(join(tmpdir(), 'accord-budget-'));
    const bundles = await Promise.all(
      functions.map(async ({ name, entry }) => {
        const outfile = join(outDir, name, 'index.mjs');
        const result = await build({
          ...lambdaEsbuildOptions(entry, outfile),
          metafile: true,
          write: false,
          absWorkingDir: repoRoot,
        });
        const output = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.mjs'))?.[1];
        const inputs = Object.keys(output?.inputs ?? {});
        return {
          name,
          kib: Math.round((output?.bytes ?? Number.POSITIVE_INFINITY) / 102.4) / 10,
          classic: inputs.filter((input) => /node_modules\/zod\/(v3|v4\/classic|v4\/locales)\//.test(input)),
          mini: inputs.some((input) => input.includes('node_modules/zod/v4/mini/')),
        };
      }),
    );
    expect(bundles.length).toBeGreaterThan(10);
    expect(bundles.filter((bundle) => bundle.kib > budgetKiB)).toEqual([]);
    expect(bundles.flatMap((bundle) => bundle.classic.map((input) => `${bundle.name}: ${input}`))).toEqual([]);
    expect(bundles.filter((bundle) => !bundle.mini).map((bundle) => bundle.name)).toEqual([]);
  }, 180_000);
});
