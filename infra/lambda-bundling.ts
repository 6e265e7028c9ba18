import type { BuildOptions } from 'esbuild';

/**
 * How every API function is bundled, in one place: `ApiFunction` hands these
 * to CDK, and the benchmark (`npm run bench`) bundles with the same values, so
 * the sizes and cold starts it reports are those of what deploys.
 */
export const lambdaBundling = {
  format: 'esm',
  minify: true,
  sourceMap: true,
  bundleAwsSDK: true,
  target: 'node24',
  /**
   * The SDK's ES module builds first: esbuild can drop what is not imported
   * from them, while the CommonJS builds (Node's default) are one file per
   * package that comes in whole (`@smithy/core` alone is ~200 KB that way).
   */
  mainFields: ['module', 'main'],
  // ESM bundles need a `require` for the CommonJS parts of the SDK.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /**
   * The SDK's default credential chain imports a provider for every way of
   * finding credentials (SSO, INI files, processes, web identity, console
   * login, container HTTP, instance metadata) and the nested STS/SSO clients
   * they use. On Lambda credentials come from the environment, so none of them
   * runs; left out they save ~130 KB per function. The chain imports them
   * lazily and the Lambda Node runtime ships the SDK, so if one were ever
   * needed it would still resolve from the runtime's copy. The same holds for
   * the event-stream codec (~20 KB with the code only it uses): the protocol
   * imports it only for an operation that streams events, and DynamoDB has none.
   */
  externalModules: [
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/credential-provider-login',
    '@aws-sdk/credential-provider-http',
    '@aws-sdk/nested-clients',
    '@aws-sdk/token-providers',
    '@smithy/credential-provider-imds',
    '@smithy/core/event-streams',
  ],
} as const;

/**
 * The esbuild options CDK derives from {@link lambdaBundling} (it runs
 * `esbuild --bundle <entry> --target --platform=node --format --minify
 * --sourcemap --external:… --banner:js=… --main-fields=…`), for bundling outside CDK.
 */
export function lambdaEsbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: lambdaBundling.format,
    target: lambdaBundling.target,
    minify: lambdaBundling.minify,
    sourcemap: lambdaBundling.sourceMap,
    external: [...lambdaBundling.externalModules],
    banner: { js: lambdaBundling.banner },
    mainFields: [...lambdaBundling.mainFields],
    logLevel: 'silent',
  };
}
