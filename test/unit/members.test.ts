import { describe, expect, it } from 'vitest';
import { accessRefusal, adminCountDelta, lastAdminRefusal, normaliseEmail } from '#contract/workspaces/members';

describe('accessRefusal', () => {
  const manager = { role: 'manager', function: 'sales' } as const;

  it('lets any member call a plain member route', () => {
    expect(accessRefusal({ kind: 'member' }, manager)).toBeNull();
  });

  it('names the missing role', () => {
    expect(accessRefusal({ kind: 'member', roles: ['admin'] }, manager)).toBe('This needs the role admin; you are manager');
  });

  it('names the missing function', () => {
    expect(accessRefusal({ kind: 'member', functions: ['operations'] }, manager)).toBe(
      'This needs the function operations; you are in sales',
    );
  });

  it('accepts when both role and function match', () => {
    expect(accessRefusal({ kind: 'member', roles: ['admin', 'manager'], functions: ['sales'] }, manager)).toBeNull();
  });
});

describe('lastAdminRefusal', () => {
  it('refuses demoting or removing the only admin', () => {
    expect(lastAdminRefusal(1, { role: 'admin' }, { role: 'manager' })).toMatch(/at least one admin/);
    expect(lastAdminRefusal(1, { role: 'admin' }, null)).toMatch(/at least one admin/);
  });

  it('allows it when another admin remains', () => {
    expect(lastAdminRefusal(2, { role: 'admin' }, { role: 'rep' })).toBeNull();
  });

  it('does not care about non-admins', () => {
    expect(lastAdminRefusal(1, { role: 'rep' }, null)).toBeNull();
    expect(lastAdminRefusal(1, { role: 'admin' }, { role: 'admin' })).toBeNull();
  });
});

describe('adminCountDelta', () => {
  it('counts admins gained and lost', () => {
    expect(adminCountDelta(null, { role: 'admin' })).toBe(1);
    expect(adminCountDelta({ role: 'admin' }, null)).toBe(-1);
    expect(adminCountDelta({ role: 'admin' }, { role: 'rep' })).toBe(-1);
    expect(adminCountDelta({ role: 'rep' }, { role: 'manager' })).toBe(0);
  });
});

describe('normaliseEmail', () => {
  it('trims and lowercases', () => {
    expect(normaliseEmail('  Olga.Ops@Example.COM ')).toBe('olga.ops@example.com');
  });
});
