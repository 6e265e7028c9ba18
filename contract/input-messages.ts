import type * as z from 'zod/mini';

type Issue = z.core.$ZodRawIssue;

/** What a value of a zod type is, as the end of "must be …". */
const kinds: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
  date: 'a date',
};

/** String formats, as the end of "must be …". */
const formats: Record<string, string> = {
  email: 'an email address',
  uuid: 'an id (UUID)',
  guid: 'an id (UUID)',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date-time such as 2027-01-15T09:00:00Z',
  time: 'a time such as 09:00',
};

const items = (count: string) => (count === '1' ? '1 item' : `${count} items`);
const listOf = (values: readonly unknown[]) => values.map(String).join(', ');

/**
 * The message of a schema problem no schema worded itself, as a plain sentence
 * naming the limit ("must be at most 120 characters"). Every schema module
 * installs it through `#contract/common`: `zod/mini` carries no locale, and
 * pulling in its English one (or every locale, as `z.locales` does) would cost
 * far more bundle than these few lines.
 */
export function inputMessage(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${kinds[issue.expected] ?? issue.expected}`;
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold at most ${items(max)}`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must hold at least ${items(min)}`;
      if (issue.inclusive === false) return issue.minimum === 0 ? 'must be more than zero' : `must be more than ${min}`;
      return issue.minimum === 0 ? 'must be 0 or more' : `must be at least ${min}`;
    }
    case 'invalid_format':
      return formats[issue.format] ? `must be ${formats[issue.format]}` : 'is not in the expected format';
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${String(issue.values[0])}` : `must be one of: ${listOf(issue.values)}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options) && issue.options.length > 0
        ? `must be one of: ${listOf(issue.options)}`
        : 'does not match any accepted form';
    case 'unrecognized_keys':
      return `has fields it does not know: ${listOf(issue.keys)}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_key':
      return 'has a key that is not valid';
    case 'invalid_element':
      return 'has an entry that is not valid';
    default:
      return 'is not valid';
  }
}
