import { describe, expect, it } from 'vitest';
import { ApiError } from '#web/lib/api-error.ts';
import { errorText, fieldLabel, invalid, plainSentence, problemsOf } from '#web/lib/problems.ts';

const refusal = (details: Array<{ field: string; message: string }>) =>
  new ApiError(400, 'ValidationFailed', `Invalid input: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);

describe('the web app’s refusal sentences', () => {
  it('rewrites schema wording as plain sentences', () => {
    expect(plainSentence('Too small: expected number to be >=0')).toBe('Must be 0 or more');
    expect(plainSentence('Too big: expected number to be <=480')).toBe('Must be 480 or less');
    expect(plainSentence('Too small: expected number to be >0')).toBe('Must be more than 0');
    expect(plainSentence('Too small: expected string to have >=1 characters')).toBe('Fill this in');
    expect(plainSentence('Too big: expected string to have <=120 characters')).toBe('Must be at most 120 characters');
    expect(plainSentence('Invalid input: expected number, received string')).toBe('Must be a number');
    expect(plainSentence('Invalid input: expected string, received undefined')).toBe('Fill this in');
    expect(plainSentence('Invalid option: expected one of "a"|"b"')).toBe('Choose one of the offered values');
    expect(plainSentence('Invalid email address')).toBe('Enter an email address, like name@example.com');
    expect(plainSentence('is not a known field')).toBe('This field is not accepted');
  });

  it('passes sentences written for people through, capitalised', () => {
    expect(plainSentence('must not be negative')).toBe('Must not be negative');
    expect(plainSentence('Ends before it starts')).toBe('Ends before it starts');
  });

  it('puts each field’s sentence beside its input and never shows the raw schema text in the form line', () => {
    const error = refusal([
      { field: 'body.terms.setupCost', message: 'Too small: expected number to be >=0' },
      { field: 'body.notes', message: 'Too big: expected string to have <=4000 characters' },
    ]);
    const problems = problemsOf(error, 'Cannot save', ['terms.setupCost']);
    expect(problems['terms.setupCost']).toBe('Must be 0 or more');
    // The notes have no problem line of their own on this form, so the form line names them.
    expect(problems.form).toBe('Notes: Must be at most 4000 characters.');
    expect(JSON.stringify(problems)).not.toMatch(/Too (small|big)|expected/);
    expect(problemsOf(error, 'Cannot save', ['terms.setupCost', 'notes']).form).toBe('Check the fields marked below.');
  });

  it('ties an input to its problem with aria-describedby, and only when there is one', () => {
    const problems = problemsOf(
      refusal([{ field: 'body.name', message: 'Too small: expected string to have >=1 characters' }]),
      'x',
      ['name'],
    );
    expect(invalid(problems, 'name', 'cycle')).toEqual({ 'aria-invalid': 'true', 'aria-describedby': 'cycle-name-error' });
    expect(invalid(problems, 'startDate', 'cycle')).toEqual({ 'aria-invalid': undefined, 'aria-describedby': undefined });
  });

  it('says what failed in words when a loader has no form to mark', () => {
    expect(errorText(refusal([{ field: 'query.limit', message: 'Too big: expected number to be <=200' }]), 'x')).toBe(
      'Limit: Must be 200 or less.',
    );
    expect(errorText(new ApiError(404, 'NotFound', 'No such meeting'), 'x')).toBe('No such meeting');
    expect(errorText(new TypeError('Failed to fetch'), 'Cannot load the meeting')).toBe('Cannot load the meeting');
    expect(fieldLabel('body.terms.standardLeadTimeDays')).toBe('Standard lead time days');
  });
});
