import type * as z from 'zod/mini';
import { BadRequest, type FieldProblem, PayloadTooLarge, UnsupportedMediaType } from '#functions/runtime/errors';
import type { ApiEvent } from './request';

function problemsOf(where: string, error: z.core.$ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'is not a known field' }));
    }
    return [{ field: base, message: issue.message }];
  });
}

/** The JSON body, refused before parsing when it is too large or not JSON. */
export function parseBody(event: ApiEvent, limit: number): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > limit) {
    throw new PayloadTooLarge(`Request body exceeds the limit of ${limit} bytes`, { limit: 'bodyBytes', max: limit });
  }
  const contentType = event.headers?.['content-type'] ?? '';
  if (text !== '' && !/^application\/json\b/i.test(contentType)) {
    throw new UnsupportedMediaType('Send the body as application/json');
  }
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`Malformed JSON body: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A checker that parses values with their schemas and collects every failing field in `problems`. */
export function validator(problems: FieldProblem[]) {
  return (where: string, schema: z.ZodMiniType | undefined, value: unknown) => {
    if (!schema) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...problemsOf(where, result.error));
    return undefined;
  };
}
