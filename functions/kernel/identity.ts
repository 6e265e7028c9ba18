import type { MiddlewareObj } from '@middy/core';
import type { RouteDefinition } from '#contract/define';
import { isMachineRouteKey } from '#contract/machine';
import type { Caller } from '#contract/views';
import { normaliseEmail } from '#contract/workspaces/members';
import { keyCaller, keyContextOf } from '#functions/access/key-context';
import { Unauthorized } from '#functions/runtime/errors';
import type { ApiEvent, ApiResult, KernelContext, KernelState } from './request';

/** The caller the authorizer verified, from the token's claims. */
export function callerFrom(event: ApiEvent): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const email = typeof claims?.email === 'string' ? normaliseEmail(claims.email) : undefined;
  const sub = typeof claims?.sub === 'string' ? claims.sub : undefined;
  if (!email || !sub) throw new Unauthorized('Sign in first: no verified identity on this request');
  // API Gateway hands every claim over as a string. An unverified address is
  // one anybody could have typed, and email is what invitations go to.
  const verified = claims?.email_verified;
  if (verified !== true && verified !== 'true') throw new Unauthorized('Verify your email address, then sign in again');
  const name = typeof claims?.name === 'string' && claims.name !== '' ? claims.name : email;
  return { sub, email, name };
}

/**
 * Who is calling, first of all: every route but a public one needs a verified
 * identity. On a machine route (`/api/machine/…`, contract/machine.ts) that is
 * the API key its authorizer verified, and nothing else; on every other route a
 * person's token, and never a key.
 */
export function identity(route: RouteDefinition): MiddlewareObj<ApiEvent, ApiResult, Error, KernelContext, KernelState> {
  return {
    before: (request) => {
      if (route.access.kind === 'public') return;
      if (isMachineRouteKey(request.event.routeKey)) {
        const key = route.machine === true ? keyContextOf(request.event.requestContext?.authorizer?.lambda) : undefined;
        if (!key) throw new Unauthorized('Send a valid API key in the x-api-key header');
        request.internal.apiKey = key;
        request.internal.caller = keyCaller(key);
        return;
      }
      request.internal.caller = callerFrom(request.event);
    },
  };
}
