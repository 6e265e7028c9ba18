import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { routes } from '#contract/index';
import type { ApiEvent } from '#functions/kernel/http';
import { groupRoutes, writeEntries } from '#infra/function-groups';

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
      handler: (event: ApiEvent, context: Context) => Promise<{ statusCode: number; body?: string }>;
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
    } as unknown as ApiEvent;
    const context = { getRemainingTimeInMillis: () => 10_000, awsRequestId: 'a1' } as unknown as Context;
    const answer = await bundled.handler(event, context);
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(answer.body ?? '')).toEqual({ status: 'ok' });
  });
});
