import * as z from 'zod/mini';
import { id, list, name, pageQuerySchema, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { defaultRequestsPerMinute, maxKeyRoutes, maxRequestsPerMinute } from './api-keys';

/** A route name as the route table spells it (`promiseCheck`). */
const routeName = lazySchema(() =>
  z
    .string()
    .check(z.maxLength(60, 'must be at most 60 characters'), z.regex(/^[A-Za-z]+$/, 'must be a route name such as promiseCheck')),
);

export const createApiKeyBody = lazySchema(() =>
  z.strictObject({
    name: name(80),
    routes: list(routeName, maxKeyRoutes).check(z.minLength(1, 'must name at least one route')),
    requestsPerMinute: z._default(
      z
        .int()
        .check(z.minimum(1, 'must be at least 1'), z.maximum(maxRequestsPerMinute, `must be at most ${maxRequestsPerMinute}`)),
      defaultRequestsPerMinute,
    ),
  }),
);

export type NewApiKey = z.infer<typeof createApiKeyBody>;

export const apiKeyParams = lazySchema(() => z.extend(workspaceParams, { keyId: id }));

export const listApiKeysQuery = lazySchema(() => pageQuerySchema);
