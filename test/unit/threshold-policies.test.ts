import { describe, expect, it } from 'vitest';
import { staleItemRefusal } from '#contract/portfolio/policies';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import type { BudgetCycle } from '#contract/thresholds/cycles';
import {
  cycleMoveRefusal,
  frozenCycleRefusal,
  signableVersionRefusal,
  staleEditRefusal,
  thresholdEditRefusal,
} from '#contract/thresholds/policies';
import type { ThresholdHead } from '#contract/thresholds/thresholds';

const cycle: BudgetCycle = {
  id: 'c1',
  workspaceId: 'w1',
  name: 'FY',
  startDate: '2027-01-01',
  endDate: '2027-12-31',
  holidays: [],
  state: 'planning',
  copiedFrom: null,
  createdBy: 'a@x',
  createdAt: '',
  updatedAt: '',
  version: 2,
};

const head = { version: 2, signOffs: [], agreed: null } as unknown as ThresholdHead;
const item = { code: 'P-1', archived: false };

describe('threshold policies', () => {
  it('freezes the thresholds of agreed and closed cycles only', () => {
    expect(frozenCycleRefusal({ state: 'draft' })).toBeNull();
    expect(frozenCycleRefusal({ state: 'planning' })).toBeNull();
    expect(frozenCycleRefusal({ state: 'agreed' })).toMatchObject({
      kind: 'conflict',
      reason: expect.stringContaining('agreed'),
    });
    expect(frozenCycleRefusal({ state: 'closed' })?.kind).toBe('conflict');
  });

  it('lets an edit through only in an open cycle, on an item in use, based on the latest version', () => {
    expect(thresholdEditRefusal({ cycle, item, head, expectedVersion: 2 })).toBeNull();
    expect(thresholdEditRefusal({ cycle, item, head: undefined, expectedVersion: null })).toBeNull();
    expect(thresholdEditRefusal({ cycle: { state: 'closed' }, item, head, expectedVersion: 2 })?.reason).toMatch(/closed/);
    expect(thresholdEditRefusal({ cycle, item: { ...item, archived: true }, head, expectedVersion: 2 })).toMatchObject({
      kind: 'conflict',
      reason: 'P-1 is archived; bring it back before setting its threshold',
    });
    expect(thresholdEditRefusal({ cycle, item, head, expectedVersion: 1 })).toMatchObject({
      kind: 'conflict',
      details: { current: head },
    });
    expect(thresholdEditRefusal({ cycle, item, head, expectedVersion: null })?.reason).toMatch(/since you opened it/);
  });

  it('tells a stale edit whether a sign-off or a newer version overtook it', () => {
    expect(staleEditRefusal(2, head).reason).toMatch(/was signed off while you edited it/);
    expect(staleEditRefusal(1, head).reason).toBe('The threshold changed since version 1; it is now version 2');
    expect(staleEditRefusal(1, undefined)).toMatchObject({
      reason: expect.stringContaining('no version yet'),
      details: { current: null },
    });
  });

  it('admits a signature only on the latest version not yet agreed', () => {
    expect(signableVersionRefusal(head, 2)).toBeNull();
    expect(signableVersionRefusal(head, 3)?.kind).toBe('not-found');
    expect(signableVersionRefusal(head, 1)).toMatchObject({ kind: 'conflict', details: { current: head } });
    expect(signableVersionRefusal({ version: 2, agreed: { version: 2 } as ThresholdHead['agreed'] }, 2)?.reason).toBe(
      'Version 2 is already agreed',
    );
  });

  it('moves a cycle only from the version it was read at, one state forward', () => {
    expect(cycleMoveRefusal(cycle, 'agreed', 2)).toBeNull();
    expect(cycleMoveRefusal(cycle, 'agreed', 1)).toMatchObject({
      kind: 'conflict',
      reason: 'The cycle changed since version 1; it is now version 2',
      details: { current: cycle },
    });
    expect(cycleMoveRefusal(cycle, 'closed', 2)).toMatchObject({
      kind: 'conflict',
      reason: expect.stringMatching(/only move to agreed/),
    });
  });
});

describe('portfolio policies', () => {
  it('refuses an edit based on another version of the item, carrying the item', () => {
    const stored = { version: 3 } as PortfolioItem;
    expect(staleItemRefusal(stored, 3)).toBeNull();
    expect(staleItemRefusal(stored, 2)).toMatchObject({ kind: 'conflict', details: { current: stored } });
  });
});
