import type { HttpMethod } from '#contract/define';

export type Operation = Record<string, unknown>;

/** The shape of the OpenAPI 3.1 document `openapi.ts` generates, apart from it so the route table can name it. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Partial<Record<Lowercase<HttpMethod>, Operation>>>;
  components: Record<string, Record<string, unknown>>;
}
