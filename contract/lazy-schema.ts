/**
 * A schema built the first time anything asks it for something (a parse, a
 * check, being extended), then kept. Every module-level schema of the
 * contract is declared with it, so a Lambda function that loads the contract
 * of a whole area builds only the schemas of the route it serves, on that
 * route's first request: building them all at module load was most of what
 * Accord's code added to a cold start (BENCHMARKS.md, design log).
 *
 * The schema stands in a proxy that hands every property read to the built
 * schema, so zod, the route table and the web app use it as the schema itself.
 * Composing lazy schemas (`z.strictObject({ id })`, `z.optional(email)`) builds
 * nothing; `z.extend` and `.check` read the schema, so write them inside the
 * builder of the schema that needs them.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => {
    built ??= build();
    return built;
  };
  // The proxy's own target stays empty: every trap below answers from the built schema.
  const empty: T = Object.create(null);
  return new Proxy(empty, {
    get: (_target, key) => Reflect.get(schema(), key),
    has: (_target, key) => Reflect.has(schema(), key),
    set: (_target, key, value) => Reflect.set(schema(), key, value),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  });
}
