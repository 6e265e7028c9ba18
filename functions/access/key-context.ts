import * as z from 'zod/mini';
import type { RouteDefinition } from '#contract/define';
import { machineEmail, machineName } from '#contract/integration/api-keys';
import { lazySchema } from '#contract/lazy-schema';
import { machineActorOn } from '#contract/machine';
import type { Caller, MemberView } from '#contract/views';

/**
 * What the verification of a key hands to the route's function: on AWS the
 * Lambda authorizer's context (`requestContext.authorizer.lambda`), locally
 * the same object built by the local server. Flat strings and numbers, as an
 * HTTP API simple response carries them.
 */
export const keyContextSchema = lazySchema(() =>
  z.object({
    keyId: z.string().check(z.minLength(1), z.maxLength(64)),
    workspaceId: z.string().check(z.minLength(1), z.maxLength(64)),
    keyName: z.string().check(z.minLength(1), z.maxLength(200)),
    requestsPerMinute: z.int().check(z.minimum(1)),
    /** The routes the key may call, as `METHOD /path` lines (contract/machine.ts scopeEntry). */
    scope: z.string().check(z.maxLength(20_000)),
  }),
);

export type KeyContext = z.output<typeof keyContextSchema>;

/** The context an authorizer handed over, or undefined when there is none or it is not one. */
export function keyContextOf(value: unknown): KeyContext | undefined {
  const parsed = keyContextSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Who a key is to the services: a machine identity, never a person. */
export const keyCaller = (key: KeyContext): Caller => ({
  sub: `api-key:${key.keyId}`,
  email: machineEmail(key.keyId),
  name: machineName(key.keyName),
});

/**
 * A key acts as a rep-level member of its workspace, never reaching a
 * manager's or an admin's route; on a route flagged `machineActsAs` (an ERP's
 * deliveries, which an admin named on the key) as an operations manager.
 */
export function keyMember(key: KeyContext, now: string, route: Pick<RouteDefinition, 'machineActsAs'> = {}): MemberView {
  const caller = keyCaller(key);
  const actor = machineActorOn(route);
  return {
    workspaceId: key.workspaceId,
    email: caller.email,
    name: caller.name,
    function: actor.function,
    role: actor.role,
    invitedBy: caller.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
