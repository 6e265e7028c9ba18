/**
 * Client-side routing with a real URL per screen, so deep links and reloads
 * land on the same screen. Paths are patterns like `/w/:workspaceId/members`.
 */
class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  /** Read out by a live region after each move: the new page's heading. */
  announcement = $state('');
  /** Counts moves, so the focus follows each one (a first load keeps the browser's own focus). */
  moves = $state(0);

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  private sync(): void {
    const moved = this.path !== location.pathname;
    this.path = location.pathname;
    this.search = location.search;
    if (moved) this.moves++;
  }

  /**
   * Moves focus to the new page's heading once it shows, and announces it,
   * as a page load would: otherwise a screen reader stays on the clicked link
   * of a page that is gone. Gives up after a few seconds (a slow screen keeps
   * its loading line, which is announced on its own).
   */
  async focusHeading(main: HTMLElement, title: string): Promise<void> {
    const move = this.moves;
    for (let waited = 0; waited < 5000 && move === this.moves; waited += 50) {
      const heading = main.querySelector<HTMLElement>('h1');
      if (heading) {
        // Someone already typing into the new page keeps their place.
        const active = document.activeElement;
        if (!active || active === document.body || !main.contains(active) || active === main) {
          heading.tabIndex = -1;
          heading.focus({ preventScroll: true });
        }
        this.announcement = heading.textContent?.trim() || title;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  navigate(to: string, options: { replace?: boolean } = {}): void {
    if (to === location.pathname + location.search) return;
    if (options.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
    scrollTo(0, 0);
  }

  query(name: string): string | null {
    return new URLSearchParams(this.search).get(name);
  }
}

export const router = new Router();

/** Matches `path` against a pattern; returns its parameters, or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:(\w+)/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
}

/** Click handler for in-app links: keeps modifier-clicks (new tab) working. */
export function link(event: MouseEvent): void {
  const anchor = (event.currentTarget as HTMLElement).closest('a');
  if (!anchor || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = anchor.getAttribute('href');
  if (!href?.startsWith('/')) return;
  event.preventDefault();
  router.navigate(href);
}
