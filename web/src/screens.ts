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
  { pattern: '/sign-in', title: 'Sign in', load: () => import('./screens/SignIn.svelte'), public: true },
  { pattern: '/', title: 'Your workspaces', load: () => import('./screens/Home.svelte') },
  { pattern: '/w/:workspaceId', title: 'Overview', load: () => import('./screens/WorkspaceOverview.svelte') },
  { pattern: '/w/:workspaceId/members', title: 'Members', load: () => import('./screens/Members.svelte') },
  { pattern: '/w/:workspaceId/portfolio', title: 'Portfolio', load: () => import('./screens/Portfolio.svelte') },
  { pattern: '/w/:workspaceId/meetings', title: 'Meetings', load: () => import('./screens/Meetings.svelte') },
  { pattern: '/w/:workspaceId/meetings/:meetingId', title: 'Meeting', load: () => import('./screens/Meeting.svelte') },
  {
    pattern: '/w/:workspaceId/meetings/:meetingId/minutes',
    title: 'Minutes',
    load: () => import('./screens/MeetingMinutes.svelte'),
  },
];

/** Links of a workspace's navigation, in order. */
export const nav: Array<{ label: string; path: (workspaceId: string) => string }> = [
  { label: 'Overview', path: (id) => `/w/${id}` },
  { label: 'Portfolio', path: (id) => `/w/${id}/portfolio` },
  { label: 'Members', path: (id) => `/w/${id}/members` },
  { label: 'Meetings', path: (id) => `/w/${id}/meetings` },
];
