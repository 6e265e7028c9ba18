import type { NotificationLink } from '#contract/notifications/notifications';
import { href } from '#web/screens.ts';
import { call } from './api';

/** How often the header asks for the unread count while the tab is visible. */
const pollMs = 5000;

/** Where a notification leads, as a link of the app (its workspace is the notification's). */
export function notificationHref(workspaceId: string, link: NotificationLink): string {
  switch (link.screen) {
    case 'overview':
      return href('overview', { workspaceId });
    case 'meeting':
      return href('meeting', { workspaceId, meetingId: link.params.meetingId });
    case 'catalogueItem':
      return href('catalogueItem', { workspaceId, itemId: link.params.itemId });
    case 'threshold':
      return href('threshold', { workspaceId, cycleId: link.params.cycleId, itemId: link.params.itemId });
    case 'issue':
      return href('issue', { workspaceId, issueId: link.params.issueId });
  }
}

/**
 * The unread count of the open workspace, for the header's bell. It asks
 * every {@link pollMs} while the tab is visible (one GetItem on the server),
 * pauses while it is hidden, and asks at once when it shows again. The inbox
 * screen sets it after marking, so the bell never waits for the next poll.
 */
class UnreadCount {
  value = $state<number | null>(null);
  private workspaceId: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  private readonly onVisibility = () => {
    clearTimeout(this.timer);
    if (!document.hidden) void this.tick();
  };

  /** Follows `workspaceId` (null: none open, or signed out). */
  watch(workspaceId: string | null): void {
    if (workspaceId === this.workspaceId) return;
    this.stop();
    this.workspaceId = workspaceId;
    if (!workspaceId) return;
    document.addEventListener('visibilitychange', this.onVisibility);
    void this.tick();
  }

  /** Sets the count the server answered to one's own change. */
  set(workspaceId: string, unread: number): void {
    if (workspaceId === this.workspaceId) this.value = unread;
  }

  private async tick(): Promise<void> {
    const workspaceId = this.workspaceId;
    if (!workspaceId || document.hidden) return;
    try {
      const { unread } = await call('getNotificationCount', { params: { workspaceId } });
      if (workspaceId === this.workspaceId) this.value = unread;
    } catch {
      // A missed poll is retried on the next one; the bell keeps what it shows.
    }
    if (workspaceId !== this.workspaceId) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), pollMs);
  }

  private stop(): void {
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.value = null;
  }
}

export const unreadCount = new UnreadCount();
