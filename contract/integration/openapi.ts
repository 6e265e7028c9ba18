import * as z from 'zod/mini';
import type { HttpMethod, RouteDefinition } from '#contract/define';
import { type AnyRoute, routes } from '#contract/index';
import { apiKeyHeader, machinePath, machineRouteNames } from '#contract/machine';
import { defaultRequestsPerMinute } from './api-keys';
import type { OpenApiDocument, Operation } from './openapi-document';

/**
 * The OpenAPI 3.1 document of the API, generated from the route table: every
 * route with its method, path, parameters and body as JSON Schema (from the
 * same zod schemas the kernel parses input with), its summary and its
 * security; each machine route once more under `/machine` with the API key.
 * Answers are typed in TypeScript only (`returns<T>()`), so a success is
 * described as JSON of the route's status, and every refusal by one schema.
 */
type JsonSchema = Record<string, unknown>;
const problemRef = { $ref: '#/components/schemas/Problem' };

const refusals: Record<string, string> = {
  400: 'Invalid input: `details` names each field at fault',
  401: 'No valid identity: sign in, or send a valid API key',
  403: 'The caller may not do this (role, function or key scope)',
  404: 'Not found, or not a workspace of the caller',
  409: 'A conflict with the current state; `details` may carry the current record',
  413: 'The body is larger than the route accepts',
  422: 'A limit was reached; `details` names it and its maximum',
  429: 'Too many requests for this API key this minute; retry after `Retry-After` seconds',
  503: 'The database is away or busy; retry after `Retry-After` seconds',
};

/** The JSON Schema of the input a zod schema takes, without its own `$schema` (the document's dialect applies). */
function inputSchema(schema: z.ZodMiniType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

/** Path or query parameters, one per property of the route's object schema. */
function parameters(where: 'path' | 'query', schema: z.ZodMiniType | undefined): JsonSchema[] {
  if (!schema) return [];
  const json = inputSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

const areaOf = (route: Pick<RouteDefinition, 'handler'>) => route.handler.split('/')[0] ?? 'api';

function operation(name: string, route: AnyRoute, machine: boolean): Operation {
  const definition: RouteDefinition = route;
  const idempotent = definition.idempotent ?? definition.method === 'POST';
  const kind = definition.access.kind;
  const statuses = [
    ...(definition.params || definition.query || definition.body ? [400] : []),
    ...(kind === 'public' ? [] : [401]),
    ...(kind === 'member' ? [403, 404] : []),
    ...(definition.writes ? [409] : []),
    ...(definition.body ? [413, 422] : []),
    ...(machine ? [429] : []),
    503,
  ];
  const success = definition.contentType
    ? { [definition.contentType.split(';')[0] ?? 'text/plain']: { schema: { type: 'string' } } }
    : { 'application/json': { schema: {} } };
  return {
    operationId: machine ? `${name}WithApiKey` : name,
    summary: definition.summary,
    tags: [machine ? 'machine' : areaOf(definition)],
    ...(kind === 'member' && definition.access.roles ? { description: `Roles: ${definition.access.roles.join(', ')}` } : {}),
    security: kind === 'public' ? [] : machine ? [{ apiKey: [] }] : [{ bearer: [] }],
    parameters: [
      ...parameters('path', definition.params),
      ...parameters('query', definition.query),
      ...(idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'A retry with the same key and body answers the first response and writes nothing new',
              schema: { type: 'string', maxLength: 200 },
            },
          ]
        : []),
    ],
    ...(definition.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(definition.body) } } } }
      : {}),
    responses: {
      [String(definition.status)]: { description: definition.status === 201 ? 'Created' : 'OK', content: success },
      ...Object.fromEntries(
        statuses.map((status) => [
          String(status),
          { description: refusals[status], content: { 'application/json': { schema: problemRef } } },
        ]),
      ),
    },
  };
}

/** Builds the document from a route table (the API's own by default). */
export function openApiDocument(table: Record<string, AnyRoute> = routes): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const add = (path: string, method: HttpMethod, op: Operation) => {
    paths[path] = { ...paths[path], [method.toLowerCase()]: op };
  };
  for (const [name, route] of Object.entries(table)) add(route.path, route.method, operation(name, route, false));
  for (const name of machineRouteNames(table)) {
    const route = table[name];
    if (route) add(machinePath(route), route.method, operation(name, route, true));
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Accord API',
      version: '1',
      description:
        'Sales and operations planning: thresholds, promise checks and commitments, misalignment issues, meetings. ' +
        'People call with a Cognito ID token; machine callers (a CRM, an ERP) call the routes under /machine with a ' +
        `workspace API key in the ${apiKeyHeader} header, rate-limited per key (${defaultRequestsPerMinute} requests a minute unless set otherwise).`,
    },
    servers: [{ url: '/api' }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token' },
        apiKey: { type: 'apiKey', in: 'header', name: apiKeyHeader, description: 'A workspace API key, acc_<id>_<secret>' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['error', 'message'],
          properties: {
            error: { type: 'string', description: 'The kind of refusal, e.g. ValidationFailed, Forbidden' },
            message: { type: 'string', description: 'A plain sentence for the person or system that asked' },
            details: { description: 'Facts to act on: the fields at fault, the limit reached, the current record' },
          },
        },
      },
    },
  };
}
