import { describe, expect, it } from 'vitest';
import type { Commitment } from '#contract/catalogue/commitments';
import { commitmentEvents, commitmentNotices } from './events';

const rep = { email: 'rep@halden.example', name: 'Rita Rep' };
const ops = { email: 'ops@halden.example', name: 'Otto Ops' };
const now = '2026-11-30T12:00:00.000Z';
const awaiting = {
  id: '00000000-0000-4000-8000-000000000003',
  workspaceId: '00000000-0000-4000-8000-000000000001',
  itemId: '00000000-0000-4000-8000-000000000002',
  itemCode: 'P-100',
  reference: 'SO-1',
  customer: null,
  quantity: 10,
  promisedDate: '2026-12-10',
  answer: 'flex',
  status: 'awaiting approval',
  recordedBy: rep.email,
  recordedByName: rep.name,
  decisionReason: null,
} as unknown as Commitment;
const approvers = Array.from({ length: 20 }, (_, n) => `ops${n}@halden.example`);

describe('commitment notices', () => {
  it('asks every approver of a short transaction, never the recorder', () => {
    const batch = commitmentNotices(commitmentEvents(null, awaiting), {
      approvers: [...approvers, rep.email],
      actor: rep,
      now,
      ownWrites: 8,
    });
    expect(batch.notifications.map((n) => n.recipient)).toEqual(approvers);
    expect(batch.writes).toHaveLength(40);
  });

  it('keeps the transaction within 100 items: only the approvers that fit are told', () => {
    const batch = commitmentNotices(commitmentEvents(null, awaiting), { approvers, actor: rep, now, ownWrites: 95 });
    expect(batch.notifications.map((n) => n.recipient)).toEqual(approvers.slice(0, 2));
    expect(95 + batch.writes.length).toBeLessThanOrEqual(100);
  });

  it('tells the rep of a decline with its reason, and nobody of a decision on their own commitment', () => {
    const declined = { ...awaiting, status: 'declined', decisionReason: 'Booked' } as Commitment;
    const told = commitmentNotices(commitmentEvents(awaiting, declined), { approvers: [], actor: ops, now, ownWrites: 4 });
    expect(told.notifications).toMatchObject([{ recipient: rep.email, kind: 'commitment declined' }]);
    expect(told.notifications[0]?.text).toContain('Reason: Booked');
    const own = commitmentNotices(commitmentEvents(awaiting, declined), { approvers: [], actor: rep, now, ownWrites: 4 });
    expect(own.writes).toHaveLength(0);
  });
});
