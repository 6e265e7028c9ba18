import type { FullMeeting } from '#contract/meetings/meetings';
import { call } from './api';
import { errorText } from './problems';

/** How often a live screen asks whether the meeting moved on; well inside the 3 s participants expect. */
const pollMs = 800;
/** Closed and draft meetings change rarely: ask less often. */
const idlePollMs = 5000;

/**
 * A meeting kept current on screen. Every `pollMs` it asks for the meeting's
 * revision (one GetItem on the server) and fetches the whole meeting (one
 * Query) only when the revision moved, so a quiet meeting costs one tiny read
 * per participant per second. Plain HTTP polling works the same locally and
 * behind API Gateway + Lambda, with no connection state to keep.
 */
export class LiveMeeting {
  data = $state<FullMeeting | null>(null);
  error = $state<string | null>(null);
  /** When the screen last confirmed it shows the latest revision. */
  syncedAt = $state<Date | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  /** `target` is read on each request, so the screen's current route parameters are always the ones used. */
  constructor(private readonly target: () => { workspaceId: string; meetingId: string }) {}

  private get params() {
    const { workspaceId, meetingId } = this.target();
    return { workspaceId, meetingId };
  }

  /** Fetches the whole meeting now, e.g. after one's own change. */
  async refresh(): Promise<void> {
    try {
      this.data = await call('getMeeting', { params: this.params });
      this.error = null;
      this.syncedAt = new Date();
    } catch (error) {
      this.error = errorText(error, 'Cannot load the meeting');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (!document.hidden && this.data) {
      try {
        const { changed } = await call('pollMeeting', { params: this.params, query: { since: this.data.meeting.revision } });
        if (changed) await this.refresh();
        else this.syncedAt = new Date();
      } catch {
        // A missed poll is retried on the next tick; the screen keeps what it shows.
      }
    }
    if (this.stopped) return;
    const running = this.data?.meeting.state === 'inProgress' || this.data?.meeting.state === 'open';
    this.timer = setTimeout(() => void this.tick(), running ? pollMs : idlePollMs);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
    this.timer = setTimeout(() => void this.tick(), pollMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
