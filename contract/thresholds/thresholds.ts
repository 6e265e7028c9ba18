import type { PortfolioItem, PortfolioKind } from '#contract/portfolio/portfolio';
import { type MemberFunction, type MemberRole, normaliseEmail } from '#contract/workspaces/members';

/**
 * Operating thresholds: what operations commits to for one portfolio item in
 * one budget cycle. Each edit is a new immutable version; a version is agreed
 * once a sales manager and an operations manager have both signed it off.
 */
export interface ThresholdTerms {
  /** Working days from order to delivery within normal operation. */
  standardLeadTimeDays: number;
  /** Units per week for products, hours per week for services. */
  capacityPerWeek: number;
  /** How much capacity the flex band adds on top of normal capacity, in percent. */
  flexExtraCapacityPercent: number;
  /** The shortest lead time reachable with flex, in working days (≤ the standard lead time). */
  flexLeadTimeDays: number;
  /** Expedite fee charged when the lead time is shortened, in percent of the order value. */
  expediteFeePercent: number;
  /** Overtime cost for every unit made above normal capacity. */
  overtimeCostPerUnit: number;
  /** One-off cost of setting up for a flex order. */
  setupCost: number;
  currency: string;
  minimumOrderQuantity: number;
  /** Working days of notice operations needs before a flex order starts. */
  noticeDays: number;
  slaTerms: string;
  scopeIncluded: string[];
  scopeExcluded: string[];
  notes: string;
}

export const thresholdFields = [
  'standardLeadTimeDays',
  'capacityPerWeek',
  'flexExtraCapacityPercent',
  'flexLeadTimeDays',
  'expediteFeePercent',
  'overtimeCostPerUnit',
  'setupCost',
  'currency',
  'minimumOrderQuantity',
  'noticeDays',
  'slaTerms',
  'scopeIncluded',
  'scopeExcluded',
  'notes',
] as const satisfies ReadonlyArray<keyof ThresholdTerms>;

/** The terms that are numbers: what a form or a file reads as a number. */
export const thresholdNumberFields = [
  'standardLeadTimeDays',
  'capacityPerWeek',
  'flexExtraCapacityPercent',
  'flexLeadTimeDays',
  'expediteFeePercent',
  'overtimeCostPerUnit',
  'setupCost',
  'minimumOrderQuantity',
  'noticeDays',
] as const satisfies ReadonlyArray<keyof ThresholdTerms>;

/** Functions whose managers must both sign a version before it is agreed. */
export const signOffFunctions = ['sales', 'operations'] as const satisfies readonly MemberFunction[];
export type SignOffFunction = (typeof signOffFunctions)[number];

/** Roles whose members sign thresholds off. */
export const signOffRoles = ['manager', 'admin'] as const satisfies readonly MemberRole[];
export type SignOffRole = (typeof signOffRoles)[number];

/** Whether a member's role is one that signs thresholds off. */
export const isSignOffRole = (role: string): role is SignOffRole => signOffRoles.some((signing) => signing === role);

/** Whether a member's function is one that signs thresholds off. */
export const isSignOffFunction = (fn: string): fn is SignOffFunction => signOffFunctions.some((signing) => signing === fn);

/**
 * One signature on a version. `function` and `role` are the signer's at the
 * moment they signed, kept because a later change of their membership must
 * not change what the signature counted for.
 */
export interface SignOff {
  email: string;
  /** The signer's stable identity (the token's `sub`); absent on signatures kept from before it was recorded. */
  sub?: string;
  name: string;
  function: SignOffFunction;
  /** Absent on signatures kept from before roles were recorded: they count by their function. */
  role?: SignOffRole;
  at: string;
  /** The planning-meeting decision that recorded this sign-off, when one did. */
  via?: { meetingId: string; decisionId: string };
}

export interface FieldChange {
  field: keyof ThresholdTerms;
  before: unknown;
  after: unknown;
}

/** Where a proposal copied from a previous cycle came from. */
export interface ThresholdOrigin {
  cycleId: string;
  cycleName: string;
  version: number;
}

/** One immutable version of a threshold. */
export interface ThresholdVersion {
  workspaceId: string;
  itemId: string;
  cycleId: string;
  version: number;
  terms: ThresholdTerms;
  /** Changes against the previous version; every field for the first version. */
  changes: FieldChange[];
  origin: ThresholdOrigin | null;
  createdBy: string;
  createdByName: string;
  createdAt: string;
}

/** The threshold of one item in one cycle: its latest version, the sign-offs it has, and the last agreed version. */
export interface ThresholdHead {
  workspaceId: string;
  itemId: string;
  itemCode: string;
  itemName: string;
  cycleId: string;
  latest: ThresholdVersion;
  /** Sign-offs of the latest version only: an edit starts over. */
  signOffs: SignOff[];
  agreed: ThresholdVersion | null;
  agreedSignOffs: SignOff[];
  updatedAt: string;
  /** Number of the latest version: what an edit is based on and what a signer signs. */
  version: number;
  /**
   * Bumped by every edit and every sign-off: both are conditional on it, so
   * whatever order they land in, the head they write is the one they read.
   */
  revision: number;
}

/** The agreed threshold a rep sees and the promise check uses. */
export interface AgreedThreshold {
  itemId: string;
  itemCode: string;
  itemName: string;
  kind: PortfolioKind;
  unit: string;
  cycleId: string;
  cycleName: string;
  cycleStartDate: string;
  /** The cycle's last day; absent on thresholds published before it was kept. */
  cycleEndDate?: string;
  holidays: string[];
  version: number;
  terms: ThresholdTerms;
  signOffs: SignOff[];
  agreedAt: string;
}

/** Field-by-field changes from one version's terms to the next (every field when there is no previous one). */
export function diffTerms(before: ThresholdTerms | null, after: ThresholdTerms): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of thresholdFields) {
    const was = before ? before[field] : null;
    const is = after[field];
    if (JSON.stringify(was) !== JSON.stringify(is)) changes.push({ field, before: was, after: is });
  }
  return changes;
}

/** Cross-field rules the schema of one field cannot see; each names its field. */
export function termsProblems(terms: ThresholdTerms): Array<{ field: keyof ThresholdTerms; message: string }> {
  const problems: Array<{ field: keyof ThresholdTerms; message: string }> = [];
  if (terms.flexLeadTimeDays > terms.standardLeadTimeDays) {
    problems.push({ field: 'flexLeadTimeDays', message: 'must not be longer than the standard lead time' });
  }
  if (terms.capacityPerWeek > 0 && terms.minimumOrderQuantity > terms.capacityPerWeek * 52) {
    problems.push({ field: 'minimumOrderQuantity', message: 'must not exceed a year of normal capacity' });
  }
  return problems;
}

/** Someone about to sign: their membership as it is now, and who they are. */
export interface SignerIdentity {
  email: string;
  sub?: string;
  function: MemberFunction;
  role: MemberRole;
}

/** Whether two signatures or signers are the same person: the same `sub`, or the same email. */
export function samePerson(a: Pick<SignOff, 'email' | 'sub'>, b: Pick<SignOff, 'email' | 'sub'>): boolean {
  if (a.sub !== undefined && b.sub !== undefined && a.sub === b.sub) return true;
  return normaliseEmail(a.email) === normaliseEmail(b.email);
}

/**
 * A version is agreed once it carries a sales and an operations signature of
 * two different people, each a manager or admin when they signed. Signatures
 * kept from before roles were recorded count by their function.
 */
export function isAgreed(signOffs: readonly Pick<SignOff, 'function' | 'email' | 'sub' | 'role'>[]): boolean {
  const valid = signOffs.filter((signOff) => signOff.role === undefined || isSignOffRole(signOff.role));
  const sales = valid.filter((signOff) => signOff.function === 'sales');
  const operations = valid.filter((signOff) => signOff.function === 'operations');
  return sales.some((s) => operations.some((o) => !samePerson(s, o)));
}

/** What the threshold of a cycle looks like to its planners: agreed, waiting for sign-off, or not set. */
export function thresholdStatus(head: Pick<ThresholdHead, 'version' | 'agreed'> | null): 'none' | 'pending' | 'agreed' {
  if (!head) return 'none';
  return head.agreed?.version === head.version ? 'agreed' : 'pending';
}

/** One card of the rep's threshold catalogue: the item and its latest agreed threshold (never a pending one). */
export interface CatalogueEntry {
  item: PortfolioItem;
  agreed: AgreedThreshold | null;
}
