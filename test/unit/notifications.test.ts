import { describe, expect, it } from 'vitest';
import { fitText } from '#contract/notifications/notifications';
import { markNotificationsReadBody } from '#contract/notifications/schemas';

describe('the mark-read body', () => {
  it('takes ids or all, not both and not neither', () => {
    expect(markNotificationsReadBody.safeParse({ all: true }).success).toBe(true);
    expect(markNotificationsReadBody.safeParse({ ids: ['00000000-0000-4000-8000-000000000001'] }).success).toBe(true);
    expect(markNotificationsReadBody.safeParse({}).success).toBe(false);
    expect(markNotificationsReadBody.safeParse({ ids: [], all: true }).success).toBe(false);
    expect(markNotificationsReadBody.safeParse({ all: false }).success).toBe(false);
  });

  it('fits text to its bound', () => {
    expect(fitText('  short  ', 10)).toBe('short');
    expect(fitText('a\tb\nc', 10, true)).toBe('a b c');
    expect(fitText('abcdefghijk', 5)).toBe('abcd…');
  });
});
