/**
 * Why a use case says no, in the product's words: services and policies
 * return or throw these, never HTTP errors; only the request kernel turns them
 * into statuses (invalid 400, forbidden 403, not-found 404, conflict 409,
 * limit 422), so the same rule reads the same from a handler, a job or a test.
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'limit';

export interface Refusal {
  kind: RefusalKind;
  /** A plain sentence for the person who asked. */
  reason: string;
  /** The input field the refusal is about (`body.deliveryDate`), when there is one. */
  field?: string;
  /** Facts the caller may act on (the current version, the limit reached). */
  details?: unknown;
  /** Each input field at fault with its reason, when there are several. */
  problems?: Array<{ field: string; message: string }>;
}

/** A refusal thrown out of a use case; the kernel answers it. */
export class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
    this.name = 'Refused';
  }
}

/** Builders for the refusals, so a rule reads `refuse.conflict('…')`. */
export const refuse = {
  invalid: (reason: string, field?: string, details?: unknown): Refused =>
    new Refused({ kind: 'invalid', reason, field, details }),
  /** Several fields at once, each with its reason: `[{ field: 'body.lines.3.quantity', message: 'must be 1 or more' }]`. */
  invalidFields: (problems: Array<{ field: string; message: string }>): Refused =>
    new Refused({
      kind: 'invalid',
      reason: problems.map((p) => `${p.field} ${p.message}`).join('; '),
      field: problems[0]?.field,
      problems,
    }),
  forbidden: (reason: string): Refused => new Refused({ kind: 'forbidden', reason }),
  notFound: (reason: string): Refused => new Refused({ kind: 'not-found', reason }),
  conflict: (reason: string, details?: unknown): Refused => new Refused({ kind: 'conflict', reason, details }),
  limit: (reason: string, details?: unknown): Refused => new Refused({ kind: 'limit', reason, details }),
};
