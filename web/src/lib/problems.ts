import { ApiError } from './api-error';

/** Problems of a refused change: `form` for the line under the form, the rest keyed by field for beside each input. */
export type Problems = Record<string, string> & { form?: string };

const number = '(-?[\\d.]+)';
/**
 * Schema messages (zod's wording, as the API passes them on) rewritten as a
 * person would say them; anything already written for people passes through.
 */
const rewrites: Array<[RegExp, (...parts: string[]) => string]> = [
  [new RegExp(`^Too small: expected (?:number|bigint|int) to be >=${number}$`), (n) => `Must be ${n} or more`],
  [new RegExp(`^Too small: expected (?:number|bigint|int) to be >${number}$`), (n) => `Must be more than ${n}`],
  [new RegExp(`^Too big: expected (?:number|bigint|int) to be <=${number}$`), (n) => `Must be ${n} or less`],
  [new RegExp(`^Too big: expected (?:number|bigint|int) to be <${number}$`), (n) => `Must be less than ${n}`],
  [/^Too small: expected string to have >=1 characters?$/, () => 'Fill this in'],
  [/^Too small: expected string to have >=(\d+) characters?$/, (n) => `Must be at least ${n} characters`],
  [/^Too big: expected string to have <=(\d+) characters?$/, (n) => `Must be at most ${n} characters`],
  [/^Too small: expected array to have >=1 items?$/, () => 'Choose at least one'],
  [/^Too small: expected array to have >=(\d+) items?$/, (n) => `Choose at least ${n}`],
  [/^Too big: expected array to have <=(\d+) items?$/, (n) => `Choose at most ${n}`],
  [/^Invalid input: expected \w+, received undefined$/, () => 'Fill this in'],
  [/^Invalid input: expected int, received/, () => 'Must be a whole number'],
  [/^Invalid input: expected number, received/, () => 'Must be a number'],
  [/^Invalid input: expected string, received/, () => 'Must be text'],
  [/^Invalid option: expected one of/, () => 'Choose one of the offered values'],
  [/^Invalid email/, () => 'Enter an email address, like name@example.com'],
  [/^Invalid ISO date ?$|^Invalid ISO date$|^Invalid date/, () => 'Enter a date, like 2027-01-31'],
  [/^Invalid ISO datetime/, () => 'Enter a date and time'],
  [/^Invalid UUID|^Invalid uuid/, () => 'Choose one of the offered values'],
  [/^is not a known field$/, () => 'This field is not accepted'],
  [/^Invalid /, () => 'This value is not accepted'],
  [/^Too (small|big)/, () => 'This value is out of range'],
];

/** A schema message as a plain sentence, e.g. "Too small: expected number to be >=0" → "Must be 0 or more". */
export function plainSentence(message: string): string {
  for (const [pattern, write] of rewrites) {
    const found = pattern.exec(message);
    if (found) return write(...found.slice(1));
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** A field's name as words: `terms.leadTimeDays` → "Lead time days". */
export function fieldLabel(field: string): string {
  const last =
    field
      .split('.')
      .filter((part) => !/^\d+$/.test(part))
      .pop() ?? field;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Field problems of a 400, keyed by field without its `body.`/`path.`/`query.` prefix, in plain sentences. */
export function fieldProblems(error: ApiError): Record<string, string> {
  const details = Array.isArray(error.details) ? (error.details as Array<{ field?: unknown; message?: unknown }>) : [];
  const byField: Record<string, string> = {};
  for (const problem of details) {
    if (typeof problem.field !== 'string' || typeof problem.message !== 'string') continue;
    byField[problem.field.replace(/^(body|path|query)\./, '')] ??= plainSentence(problem.message);
  }
  return byField;
}

/** What to tell the person when something failed: the API's own message, or `fallback` when it never answered. */
export function errorText(error: unknown, fallback: string): string {
  if (!(error instanceof ApiError)) return fallback;
  const fields = fieldProblems(error);
  const entries = Object.entries(fields);
  if (entries.length === 0) return error.message;
  return entries.map(([field, sentence]) => `${fieldLabel(field)}: ${sentence}.`).join(' ');
}

/**
 * A refusal split for a form: each field's sentence for beside its input, and
 * a `form` line. `shown` names the fields the form has inputs for; problems of
 * other fields are spelled out in the form line so none is lost.
 */
export function problemsOf(error: unknown, fallback: string, shown?: readonly string[]): Problems {
  if (!(error instanceof ApiError)) return { form: fallback };
  const fields = fieldProblems(error);
  const entries = Object.entries(fields);
  if (entries.length === 0) return { form: error.message };
  const hidden = shown ? entries.filter(([field]) => !shown.includes(field)) : entries;
  const form =
    hidden.length > 0
      ? hidden.map(([field, sentence]) => `${fieldLabel(field)}: ${sentence}.`).join(' ')
      : `Check the ${entries.length === 1 ? 'field' : 'fields'} marked below.`;
  return { ...fields, form };
}

/** Attributes tying an input to its problem (shown in an element with id `${prefix}-${field}-error`). */
export function invalid(problems: Problems, field: string, prefix = 'field') {
  const problem = problems[field];
  return {
    'aria-invalid': problem ? ('true' as const) : undefined,
    'aria-describedby': problem ? errorId(field, prefix) : undefined,
  };
}

/** The id of a field's problem line. */
export function errorId(field: string, prefix = 'field'): string {
  return `${prefix}-${field.replace(/[^\w-]/g, '-')}-error`;
}
