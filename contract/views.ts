import type { ApprovalBand } from '#contract/catalogue/approval';
import type { CsvDecimal, CsvDelimiter } from '#contract/csv';
import type { Member, MemberFunction, MemberRole } from '#contract/workspaces/members';

/** A member as the API answers it: the record itself (contract/workspaces/members.ts). */
export type MemberView = Member;

export interface WorkspaceView {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  adminCount: number;
  /** IANA time zone whose calendar days the workspace's dates are in ("today" for occurrences, due dates). */
  timeZone: string;
  /** ISO 4217 code of the workspace's money (list prices). */
  currency: string;
  /** How its CSV exports separate fields and write decimals, as spreadsheets in its locale expect. */
  csvDelimiter: CsvDelimiter;
  csvDecimal: CsvDecimal;
  /** Bands of promise whose commitments wait for an operations manager's approval (standard never does). */
  approvalBands: ApprovalBand[];
  version: number;
  /** The caller's own membership. */
  you: MemberView;
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
}

export interface MeView {
  email: string;
  name: string;
  workspaces: WorkspaceSummary[];
}

/** The signed-in person, as the JWT authorizer's claims describe them. */
export interface Caller {
  sub: string;
  email: string;
  name: string;
}
