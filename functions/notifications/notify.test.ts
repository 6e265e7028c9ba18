import { describe, expect, it } from 'vitest';
import { id } from '#contract/common';
import { maxRecipientsPerWrite } from '#contract/notifications/notifications';
import { partOf } from '#functions/table/transactions';
import { timeOrderedId } from './entities';
import { notificationWrites } from './notify';

const input = (recipients: string[]) => ({
  workspaceId: '00000000-0000-4000-8000-000000000001',
  recipients,
  kind: 'sign-off requested' as const,
  title: 'Confirm\nyour sign-off',
  text: 'x'.repeat(1200),
  link: { screen: 'meeting' as const, params: { meetingId: '00000000-0000-4000-8000-000000000002' } },
  subjectId: '00000000-0000-4000-8000-000000000003',
  now: '2026-11-30T10:00:00.000Z',
});

describe('notification ids', () => {
  it('are ids the API accepts, and sort by the moment they were made', () => {
    const early = timeOrderedId(new Date('2026-11-30T10:00:00.000Z'));
    const late = timeOrderedId(new Date('2026-11-30T10:00:00.001Z'));
    expect(id.safeParse(early).success).toBe(true);
    expect(early[14]).toBe('7');
    expect(early < late).toBe(true);
    expect(timeOrderedId(new Date('2030-01-01T00:00:00Z')) > late).toBe(true);
    expect(timeOrderedId(new Date(0))).not.toBe(timeOrderedId(new Date(0)));
  });
});

describe('notificationWrites', () => {
  it('notifies each recipient once with a notification and a counter part, title on one line, text shortened', () => {
    const batch = notificationWrites(input(['Olga@Example.com', 'olga@example.com', 'sam@example.com']));
    expect(batch.notifications.map((n) => n.recipient)).toEqual(['olga@example.com', 'sam@example.com']);
    expect(batch.writes.map(partOf)).toEqual(['notification', 'unreadCount', 'notification', 'unreadCount']);
    const [first] = batch.notifications;
    expect(first?.title).toBe('Confirm your sign-off');
    expect(first?.text).toHaveLength(1000);
    expect(first?.text.endsWith('…')).toBe(true);
    expect(first?.readAt).toBeNull();
  });

  it('writes nothing for nobody, and refuses more recipients than a transaction holds before building anything', () => {
    expect(notificationWrites(input([]))).toEqual({ writes: [], notifications: [] });
    const many = Array.from({ length: maxRecipientsPerWrite + 1 }, (_, i) => `m${i}@example.com`);
    expect(() => notificationWrites(input(many))).toThrow(/at most 20 members/);
  });
});
