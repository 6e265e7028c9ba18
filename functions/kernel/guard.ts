import type { MiddlewareObj } from '@middy/core';
import { defaultMaxBodyBytes, type RouteDefinition } from '#contract/define';
import type { Caller, MemberView } from '#contract/views';
import { type Access, accessRefusal } from '#contract/workspaces/members';
import { keyMembership } from '#functions/access/key-use';
import { getMemberFor } from '#functions/access/membership';
import { BadRequest, type FieldProblem, Forbidden, NotFound, ValidationFailed } from '#functions/runtime/errors';
import { parseBody, validator } from './input';
import {
  type ApiEvent,
  type ApiResult,
  type KernelContext,
  type KernelRequest,
  type KernelState,
  workspaceIdOf,
} from './request';

/**
 * Path, access, then input, in that order, after the identity: a request that
 * fails one never reaches the next. Access comes before the query and body
 * are read, so a caller who may not use a route learns nothing about its
 * input from the validation errors, and no unauthorised body is ever parsed.
 */
export function guard(
  route: RouteDefinition,
  needsMember: boolean,
): MiddlewareObj<ApiEvent, ApiResult, Error, KernelContext, KernelState> {
  return {
    before: async (request: KernelRequest) => {
      const { event, internal: state } = request;

      const pathProblems: FieldProblem[] = [];
      state.params = validator(pathProblems)('path', route.params, event.pathParameters ?? {});
      if (pathProblems.length > 0) throw new ValidationFailed(pathProblems);

      if (route.access.kind === 'member' && state.caller) {
        const workspaceId = workspaceIdOf(state.params);
        if (!workspaceId) throw new Error(`Route ${route.path} is a member route without {workspaceId}`);
        const membership = state.apiKey
          ? keyMembership(route, state.apiKey, { workspaceId, path: event.rawPath ?? '' }, new Date().toISOString())
          : membershipOf(route.access, workspaceId, state.caller);
        if (needsMember) {
          state.member = await membership;
        } else {
          // The route's own reads go out beside this check; its writes and its
          // answer wait for it (see defineHandler).
          membership.catch(() => undefined);
          state.membership = membership;
        }
      }
      try {
        readInput(route, request);
      } catch (error) {
        // Access first: a caller who may not use the route learns nothing from its input's errors.
        await state.membership;
        throw error;
      }
    },
  };
}

/**
 * The caller's membership, refused as "not found" when there is none: not a
 * member and no such workspace look the same, so ids of other companies'
 * workspaces reveal nothing; nor does a membership bound to another identity
 * with the same email.
 */
async function membershipOf(access: Access, workspaceId: string, caller: Caller): Promise<MemberView> {
  const member = await getMemberFor(workspaceId, caller);
  if (!member) throw new NotFound('Workspace not found');
  const refusal = accessRefusal(access, member);
  if (refusal) throw new Forbidden(refusal);
  return member;
}

/** The query and body, parsed by the route's schemas into the request's state. */
function readInput(route: RouteDefinition, request: KernelRequest): void {
  const { event, internal: state } = request;
  const problems: FieldProblem[] = [];
  const check = validator(problems);
  const queryParameters = event.queryStringParameters ?? {};
  if (!route.query && Object.keys(queryParameters).length > 0) {
    throw new BadRequest('This route takes no query parameters');
  }
  state.query = check('query', route.query, queryParameters);
  if (route.body) {
    state.body = check('body', route.body, parseBody(event, route.maxBodyBytes ?? defaultMaxBodyBytes));
  } else if (event.body !== undefined && event.body !== '') {
    throw new BadRequest('This route takes no body');
  }
  if (problems.length > 0) throw new ValidationFailed(problems);
}
