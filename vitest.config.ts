import { defineConfig } from 'vitest/config';

/**
 * One DynamoDB Local process (in memory) serves every test file; files keep
 * apart by creating their own workspaces with unguessable ids.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'functions/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/env.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.test-artifacts/vitest.json' }]],
  },
});
