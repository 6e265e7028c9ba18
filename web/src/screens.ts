import type { Component } from 'svelte';

/**
 * Every screen of the app by name: its URL pattern, its title, and how to load
 * it. Screens load on demand, so a phone opening one screen downloads only that
 * screen's code. Links are built from this table with `href()`, so a renamed
 * screen or a missing parameter fails the typecheck.
 */
export interface ScreenEntry {
  pattern: string;
  title: string;
  load: () => Promise<{ default: Component<any> }>;
  /** Reachable without signing in. */
  public?: boolean;
}

export const screens = {
  signIn: { pattern: '/sign-in', title: 'Sign in', load: () => import('./screens/auth/SignIn.svelte'), public: true },
  // A one-time link from an invitation, when the local server serves other machines.
  setPassword: {
    pattern: '/set-password',
    title: 'Set your password',
    load: () => import('./screens/auth/SetPassword.svelte'),
    public: true,
  },
  // Where Cognito's managed login returns with the authorization code (AWS only; see lib/cognito.ts).
  authCallback: {
    pattern: '/auth/callback',
    title: 'Signing in',
    load: () => import('./screens/auth/AuthCallback.svelte'),
    public: true,
  },
  home: { pattern: '/', title: 'Your workspaces', load: () => import('./screens/workspace/Home.svelte') },
  overview: { pattern: '/w/:workspaceId', title: 'Overview', load: () => import('./screens/workspace/WorkspaceOverview.svelte') },
  members: { pattern: '/w/:workspaceId/members', title: 'Members', load: () => import('./screens/workspace/Members.svelte') },
  apiKeys: { pattern: '/w/:workspaceId/api-keys', title: 'API keys', load: () => import('./screens/workspace/ApiKeys.svelte') },
  portfolio: {
    pattern: '/w/:workspaceId/portfolio',
    title: 'Portfolio',
    load: () => import('./screens/portfolio/Portfolio.svelte'),
  },
  audit: { pattern: '/w/:workspaceId/audit', title: 'Audit trail', load: () => import('./screens/audit/Audit.svelte') },
  catalogue: {
    pattern: '/w/:workspaceId/catalogue',
    title: 'Catalogue',
    load: () => import('./screens/catalogue/Catalogue.svelte'),
  },
  catalogueItem: {
    pattern: '/w/:workspaceId/catalogue/:itemId',
    title: 'Promise check',
    load: () => import('./screens/catalogue/CatalogueItem.svelte'),
  },
  commitments: {
    pattern: '/w/:workspaceId/commitments',
    title: 'Commitments',
    load: () => import('./screens/commitments/Commitments.svelte'),
  },
  unservedReview: {
    pattern: '/w/:workspaceId/unserved-demand',
    title: 'Unserved demand',
    load: () => import('./screens/commitments/UnservedReview.svelte'),
  },
  cycles: { pattern: '/w/:workspaceId/cycles', title: 'Budget cycles', load: () => import('./screens/thresholds/Cycles.svelte') },
  cycle: {
    pattern: '/w/:workspaceId/cycles/:cycleId',
    title: 'Cycle thresholds',
    load: () => import('./screens/thresholds/CycleThresholds.svelte'),
  },
  salesPlan: {
    pattern: '/w/:workspaceId/cycles/:cycleId/plan',
    title: 'Sales plan',
    load: () => import('./screens/plan/SalesPlan.svelte'),
  },
  threshold: {
    pattern: '/w/:workspaceId/cycles/:cycleId/items/:itemId',
    title: 'Threshold',
    load: () => import('./screens/thresholds/Threshold.svelte'),
  },
  issues: {
    pattern: '/w/:workspaceId/issues',
    title: 'Misalignment issues',
    load: () => import('./screens/misalignment/Issues.svelte'),
  },
  issue: {
    pattern: '/w/:workspaceId/issues/:issueId',
    title: 'Misalignment issue',
    load: () => import('./screens/misalignment/IssueDetail.svelte'),
  },
  ranking: {
    pattern: '/w/:workspaceId/ranking',
    title: 'Priority ranking',
    load: () => import('./screens/misalignment/Ranking.svelte'),
  },
  meetings: { pattern: '/w/:workspaceId/meetings', title: 'Meetings', load: () => import('./screens/meetings/Meetings.svelte') },
  meeting: {
    pattern: '/w/:workspaceId/meetings/:meetingId',
    title: 'Meeting',
    load: () => import('./screens/meetings/meeting/Meeting.svelte'),
  },
  minutes: {
    pattern: '/w/:workspaceId/meetings/:meetingId/minutes',
    title: 'Minutes',
    load: () => import('./screens/meetings/MeetingMinutes.svelte'),
  },
  notifications: {
    pattern: '/w/:workspaceId/notifications',
    title: 'Notifications',
    load: () => import('./screens/notifications/Notifications.svelte'),
  },
} as const satisfies Record<string, ScreenEntry>;

export type ScreenName = keyof typeof screens;

/** The `:name` parameters of a URL pattern. */
type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** What a screen's link needs: one value per parameter of its pattern. */
export type ScreenParams<N extends ScreenName> = Record<ParamNames<(typeof screens)[N]['pattern']>, string>;

/**
 * The URL of a screen, e.g. `href('issue', { workspaceId, issueId })`.
 * Values are encoded; `query` adds a search string (empty values left out).
 */
export function href<N extends ScreenName>(
  name: N,
  ...[params, query]: [ParamNames<(typeof screens)[N]['pattern']>] extends [never]
    ? [params?: Record<string, never>, query?: Record<string, string | undefined>]
    : [params: ScreenParams<N>, query?: Record<string, string | undefined>]
): string {
  const values = (params ?? {}) as Record<string, string>;
  const path = screens[name].pattern.replace(/:(\w+)/g, (_match, key: string) => encodeURIComponent(values[key] ?? ''));
  const search = new URLSearchParams(Object.entries(query ?? {}).filter((entry): entry is [string, string] => !!entry[1]));
  return search.size > 0 ? `${path}?${search}` : path;
}

/** Screens whose one parameter is the workspace: what the navigation links to. */
export type WorkspaceScreen = {
  [N in ScreenName]: [ParamNames<(typeof screens)[N]['pattern']>] extends ['workspaceId'] ? N : never;
}[ScreenName];

/** Links of a workspace's navigation, in order. */
export const nav: Array<{ label: string; screen: WorkspaceScreen }> = [
  { label: 'Overview', screen: 'overview' },
  // What a rep reaches for first, then the planning team's screens, then administration.
  { label: 'Catalogue', screen: 'catalogue' },
  { label: 'Commitments', screen: 'commitments' },
  { label: 'Cycles', screen: 'cycles' },
  { label: 'Issues', screen: 'issues' },
  { label: 'Ranking', screen: 'ranking' },
  { label: 'Meetings', screen: 'meetings' },
  { label: 'Portfolio', screen: 'portfolio' },
  { label: 'Members', screen: 'members' },
  { label: 'Audit', screen: 'audit' },
];
