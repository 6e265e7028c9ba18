import { describe, expect, it } from 'vitest';
import type { Commitment } from '#contract/catalogue/commitments';
import {
  commitmentListPredicate,
  deliveryRange,
  exportWorkspaceCommitmentsQuery,
  listWorkspaceCommitmentsQuery,
} from '#contract/catalogue/commitments-list';
import { cycleContaining, unservedChangeRefusal } from '#contract/catalogue/unserved';

const filters = (query: Record<string, string>) => exportWorkspaceCommitmentsQuery.parse(query);
const commitment = (over: Partial<Commitment>) =>
  ({
    reference: 'SO-1',
    customer: null,
    status: 'approved',
    promisedDate: '2027-03-10',
    quantity: 5,
    deliveredQuantity: 0,
    ...over,
  }) as Commitment;

describe('the commitments list filters', () => {
  it('turns a week into its Monday to Sunday, and overdue into a range ending at UTC today', () => {
    expect(deliveryRange(filters({ week: '2027-03-10' }), '2027-01-01')).toEqual({ from: '2027-03-08', to: '2027-03-14' });
    expect(deliveryRange(filters({ overdue: 'true' }), '2027-01-01')).toEqual({ from: undefined, to: '2027-01-01' });
    expect(deliveryRange(filters({ overdue: 'true', to: '2026-12-01' }), '2027-01-01')).toEqual({
      from: undefined,
      to: '2026-12-01',
    });
    expect(deliveryRange(filters({ from: '2027-01-01' }), '2027-06-01')).toEqual({ from: '2027-01-01', to: undefined });
  });

  it('matches the reference prefix in any case and overdue against the workspace’s today', () => {
    const today = '2027-03-11';
    expect(commitmentListPredicate(filters({ q: 'so-' }), today)(commitment({}))).toBe(true);
    expect(commitmentListPredicate(filters({ q: 'o-1' }), today)(commitment({}))).toBe(false);
    const overdue = commitmentListPredicate(filters({ overdue: 'true' }), today);
    expect(overdue(commitment({}))).toBe(true);
    expect(overdue(commitment({ promisedDate: today }))).toBe(false);
    expect(overdue(commitment({ status: 'cancelled' }))).toBe(false);
    const notOverdue = commitmentListPredicate(filters({ overdue: 'false' }), today);
    expect(notOverdue(commitment({}))).toBe(false);
    expect(notOverdue(commitment({ status: 'cancelled' }))).toBe(true);
  });

  it('refuses a reversed range, a week with a range and an oversized page', () => {
    expect(listWorkspaceCommitmentsQuery.safeParse({ from: '2027-02-01', to: '2027-01-01' }).success).toBe(false);
    expect(listWorkspaceCommitmentsQuery.safeParse({ week: '2027-02-01', to: '2027-03-01' }).success).toBe(false);
    expect(listWorkspaceCommitmentsQuery.safeParse({ limit: '201' }).success).toBe(false);
    expect(listWorkspaceCommitmentsQuery.parse({ rep: 'Rita@Example.com' }).rep).toBe('rita@example.com');
  });
});

describe('unserved demand rules', () => {
  it('belongs to the cycle whose dates contain the requested date, the latest started of overlapping ones', () => {
    const cycles = [
      { id: 'a', startDate: '2027-01-01', endDate: '2027-12-31' },
      { id: 'b', startDate: '2027-07-01', endDate: '2028-06-30' },
    ];
    expect(cycleContaining(cycles, '2027-03-01')?.id).toBe('a');
    expect(cycleContaining(cycles, '2027-08-01')?.id).toBe('b');
    expect(cycleContaining(cycles, '2027-12-31')?.id).toBe('b');
    expect(cycleContaining(cycles, '2028-07-01')).toBeUndefined();
  });

  it('may be changed by whoever recorded it or a manager, not another rep', () => {
    const demand = { recordedBy: 'rita@example.com' };
    expect(unservedChangeRefusal(demand, { email: 'rita@example.com', role: 'rep' })).toBeNull();
    expect(unservedChangeRefusal(demand, { email: 'sam@example.com', role: 'manager' })).toBeNull();
    expect(unservedChangeRefusal(demand, { email: 'omar@example.com', role: 'rep' })?.kind).toBe('forbidden');
    expect(unservedChangeRefusal(demand, undefined)?.kind).toBe('forbidden');
  });
});
