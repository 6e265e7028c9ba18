import type { Component } from 'svelte';

/**
 * Every screen of the app: its URL pattern, its title, and how to load it.
 * Screens load on demand, so a phone opening one screen downloads only that
 * screen's code. Later areas add their screens here and their links in `nav`.
 */
export interface ScreenEntry {
  pattern: string;
  title: string;
  load: () => Promise<{ default: Component<any> }>;
  /** Reachable without signing in. */
  public?: boolean;
}

export const screens: ScreenEntry[] = [
  { pattern: '/sign-in', title: 'Sign in', load: () => import('./screens/auth/SignIn.svelte'), public: true },
  // A one-time link from an invitation, when the local server serves other machines.
  { pattern: '/set-password', title: 'Set your password', load: () => import('./screens/auth/SetPassword.svelte'), public: true },
  // Where Cognito's managed login returns with the authorization code (AWS only; see lib/cognito.ts).
  { pattern: '/auth/callback', title: 'Signing in', load: () => import('./screens/auth/AuthCallback.svelte'), public: true },
  { pattern: '/', title: 'Your workspaces', load: () => import('./screens/workspace/Home.svelte') },
  { pattern: '/w/:workspaceId', title: 'Overview', load: () => import('./screens/workspace/WorkspaceOverview.svelte') },
  { pattern: '/w/:workspaceId/members', title: 'Members', load: () => import('./screens/workspace/Members.svelte') },
  { pattern: '/w/:workspaceId/portfolio', title: 'Portfolio', load: () => import('./screens/portfolio/Portfolio.svelte') },
  { pattern: '/w/:workspaceId/audit', title: 'Audit trail', load: () => import('./screens/audit/Audit.svelte') },
  { pattern: '/w/:workspaceId/catalogue', title: 'Catalogue', load: () => import('./screens/catalogue/Catalogue.svelte') },
  {
    pattern: '/w/:workspaceId/catalogue/:itemId',
    title: 'Promise check',
    load: () => import('./screens/catalogue/CatalogueItem.svelte'),
  },
  { pattern: '/w/:workspaceId/cycles', title: 'Budget cycles', load: () => import('./screens/thresholds/Cycles.svelte') },
  {
    pattern: '/w/:workspaceId/cycles/:cycleId',
    title: 'Cycle thresholds',
    load: () => import('./screens/thresholds/CycleThresholds.svelte'),
  },
  {
    pattern: '/w/:workspaceId/cycles/:cycleId/items/:itemId',
    title: 'Threshold',
    load: () => import('./screens/thresholds/Threshold.svelte'),
  },
  { pattern: '/w/:workspaceId/issues', title: 'Misalignment issues', load: () => import('./screens/misalignment/Issues.svelte') },
  {
    pattern: '/w/:workspaceId/issues/:issueId',
    title: 'Misalignment issue',
    load: () => import('./screens/misalignment/IssueDetail.svelte'),
  },
  { pattern: '/w/:workspaceId/ranking', title: 'Priority ranking', load: () => import('./screens/misalignment/Ranking.svelte') },
  { pattern: '/w/:workspaceId/meetings', title: 'Meetings', load: () => import('./screens/meetings/Meetings.svelte') },
  {
    pattern: '/w/:workspaceId/meetings/:meetingId',
    title: 'Meeting',
    load: () => import('./screens/meetings/meeting/Meeting.svelte'),
  },
  {
    pattern: '/w/:workspaceId/meetings/:meetingId/minutes',
    title: 'Minutes',
    load: () => import('./screens/meetings/MeetingMinutes.svelte'),
  },
];

/** Links of a workspace's navigation, in order. */
export const nav: Array<{ label: string; path: (workspaceId: string) => string }> = [
  { label: 'Overview', path: (id) => `/w/${id}` },
  // What a rep reaches for first, then the planning team's screens, then administration.
  { label: 'Catalogue', path: (id) => `/w/${id}/catalogue` },
  { label: 'Cycles', path: (id) => `/w/${id}/cycles` },
  { label: 'Issues', path: (id) => `/w/${id}/issues` },
  { label: 'Ranking', path: (id) => `/w/${id}/ranking` },
  { label: 'Meetings', path: (id) => `/w/${id}/meetings` },
  { label: 'Portfolio', path: (id) => `/w/${id}/portfolio` },
  { label: 'Members', path: (id) => `/w/${id}/members` },
  { label: 'Audit', path: (id) => `/w/${id}/audit` },
];
