import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Person, startApi, type TestApi } from './api';

/** Debian's Chromium; `npx playwright install` cannot download a browser on these machines. */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium with the flags this sandbox needs (no network
 * chatter, no GPU); Playwright gives each launch a fresh, empty profile.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized viewport, as a rep on the move sees the app. */
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

/** A page in a fresh context (its own storage, so its own session), failing fast with a clear locator error. */
export async function openPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
  return page;
}

/**
 * Signs in through the local sign-in screen as a person would: from the app's
 * root, redirected to sign-in, back on the workspace list.
 */
export async function signInLocally(page: Page, baseUrl: string, name: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your workspaces' }).waitFor();
}

/** The built web app the local API serves to the browser tests (`npm run build:web` first). */
export const webRoot = resolve(import.meta.dirname, '../../web/dist');

/** The local API serving the built web app, and one Chromium, for a browser test file. */
export interface BrowserApp {
  readonly api: TestApi;
  readonly browser: Browser;
}

/**
 * Starts the local API with the built web app and launches Chromium before the
 * file's tests, and closes both after them: the setup every browser test file
 * shares. Fields are filled in `beforeAll`, so read them inside tests and hooks.
 */
export function useBrowserApp(options: Omit<NonNullable<Parameters<typeof startApi>[0]>, 'webRoot'> = {}): BrowserApp {
  const app: { api?: TestApi; browser?: Browser } = {};
  beforeAll(async () => {
    app.api = await startApi({ ...options, webRoot });
    app.browser = await launchBrowser();
  });
  afterAll(async () => {
    await app.browser?.close();
    await app.api?.close();
  });
  return {
    get api() {
      if (!app.api) throw new Error('The API starts in beforeAll: use it inside a test or hook');
      return app.api;
    },
    get browser() {
      if (!app.browser) throw new Error('Chromium starts in beforeAll: use it inside a test or hook');
      return app.browser;
    },
  };
}

/**
 * A page already signed in as `person` (the session put into the app's
 * storage before any script runs), skipping the sign-in screen: each page is
 * its own participant.
 */
export async function signedInPage(
  app: BrowserApp,
  person: Person,
  name: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<Page> {
  const page = await openPage(app.browser, options);
  const { token, expiresAt } = await app.api.auth.signIn({ email: person.email, name });
  await page.addInitScript(
    (session) => {
      try {
        localStorage.setItem('accord.session', JSON.stringify(session));
      } catch {
        // about:blank has no storage; the app's own origin does
      }
    },
    { token, email: person.email, name, expiresAt },
  );
  return page;
}

const axeSource = resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js');

/** One axe-core finding: the rule, its impact and where it hit. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Options for a page that `seriousAxeFindings` audits: the app's Content
 * Security Policy allows only its own scripts, so Playwright lifts it for the
 * injected axe-core (the app's own pages keep it everywhere else).
 */
export const audited = { bypassCSP: true } as const;

/** Runs axe-core on the page as it is now and returns its serious and critical findings (open the page with `audited`). */
export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    interface AxeViolation {
      id: string;
      impact: string | null;
      help: string;
      nodes: Array<{ target: unknown[] }>;
    }
    const result = await axe.run(document);
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }));
  });
}

/**
 * What sticks out past the viewport's width: the page's scroll width (more
 * than the viewport when the page pans sideways), and every element whose
 * right edge passes the viewport, unless a scroll region of its own holds it.
 */
export async function horizontalOverflow(page: Page): Promise<{ width: number; scrollWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const scrollWidth = document.scrollingElement?.scrollWidth ?? document.documentElement.scrollWidth;
    // Inside a scroll region (or a clipping box) an element may be wide; the region itself is checked on its own.
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide: string[] = [];
    for (const element of document.body.querySelectorAll('*')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.right > width + 0.5 && !clipped(element)) {
        const name = `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${
          typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : ''
        }`;
        wide.push(`${name} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
      }
    }
    return { width, scrollWidth, wide };
  });
}
