export {
  type Answer,
  type BodyOf,
  type CallInput,
  type InputArgs,
  type Problem,
  type RawCallInput,
  type ResponseOf,
  type RouteCaller,
  type RouteRequest,
  routeRequest,
  routeUrl,
} from '#scripts/fixtures/route-call';

/** The value, or a failed test naming what was missing: for a record a test looks up in an answer. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
