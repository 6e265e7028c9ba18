import type { WorkspaceView } from '#contract/views';
import { call } from './api';
import { errorText } from './problems';

/**
 * The workspace the URL points at, loaded once per workspace id and shared by
 * the shell (name, navigation) and the screens (the caller's role).
 */
class CurrentWorkspace {
  id = $state<string | null>(null);
  value = $state<WorkspaceView | null>(null);
  error = $state<string | null>(null);

  async show(id: string | null): Promise<void> {
    if (id === this.id) return;
    this.id = id;
    this.value = null;
    this.error = null;
    if (!id) return;
    try {
      const workspace = await call('getWorkspace', { params: { workspaceId: id } });
      if (this.id === id) this.value = workspace;
    } catch (error) {
      if (this.id === id) this.error = errorText(error, 'Cannot load the workspace');
    }
  }

  /** Forget the loaded workspace so the next `show` reads it again (after a change of role, say). */
  reset(): void {
    this.id = null;
    this.value = null;
  }
}

export const currentWorkspace = new CurrentWorkspace();
