import * as z from 'zod/mini';
import { machineEmail, machineName } from '#contract/integration/api-keys';
import { machineRole } from '#contract/machine';
import type { Caller, MemberView } from '#contract/views';

/**
 * What the verification of a key hands to the route's function: on AWS the
 * Lambda authorizer's context (`requestContext.authorizer.lambda`), locally
 * the same object built by the local server. Flat strings and numbers, as an
 * HTTP API simple response carries them.
 */
export const keyContextSchema = z.object({
  keyId: z.string().check(z.minLength(1), z.maxLength(64)),
  workspaceId: z.string().check(z.minLength(1), z.maxLength(64)),
  keyName: z.string().check(z.minLength(1), z.maxLength(200)),
  requestsPerMinute: z.int().check(z.minimum(1)),
  /** The routes the key may call, as `METHOD /path` lines (contract/machine.ts scopeEntry). */
  scope: z.string().check(z.maxLength(20_000)),
});

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

/** A key acts as a rep-level member of its workspace: it never reaches a manager's or an admin's route. */
export function keyMember(key: KeyContext, now: string): MemberView {
  const caller = keyCaller(key);
  return {
    workspaceId: key.workspaceId,
    email: caller.email,
    name: caller.name,
    function: 'sales',
    role: machineRole,
    invitedBy: caller.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
