import type { IssueDecision, IssueStatus, MisalignmentIssue } from '#contract/misalignment/misalignment';
import { issueStatusRefusal } from '#contract/misalignment/policies';
import { Refused, refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { brokenReference, type Reference, referenceChecks, referencesOf } from '#functions/table/references';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import {
  getIssue,
  type IssueFields,
  identityOf,
  issueDecisionUpdate,
  issueFieldsUpdate,
  newIssuePut,
  toIssue,
} from './entities-issues';
import { timeOrderedId } from './ids';

type Actor = Pick<Caller, 'email' | 'name'>;

export type { IssueFields };
export { getIssue };

export interface NewIssue extends IssueFields {
  currency: string;
}

/** What an issue's fields name: each must be a record (or, for the owner, a member) of the issue's workspace. */
function issueReferences(fields: Partial<IssueFields>): Reference[] {
  return [
    ...referencesOf('body.itemIds', 'portfolioItem', fields.itemIds ?? []),
    ...referencesOf('body.owner', 'member', [fields.owner]),
    ...referencesOf('body.cycleId', 'cycle', [fields.cycleId]),
    ...referencesOf('body.meetingIds', 'meeting', fields.meetingIds ?? []),
    ...referencesOf('body.thresholdVersionIds', 'threshold', fields.thresholdVersionIds ?? []),
  ];
}

/** Logs a new misalignment issue, with no occurrences yet. */
export async function createIssue(workspaceId: string, input: NewIssue, actor: Actor, now: string): Promise<MisalignmentIssue> {
  const issue = toIssue({
    ...input,
    id: timeOrderedId(),
    workspaceId,
    status: 'open',
    createdBy: actor.email,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const items: TransactItem[] = [
    newIssuePut(issue),
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.created',
      entity: 'misalignmentIssue',
      entityId: issue.id,
      after: identityOf(issue),
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, issueReferences(input), items)));
  try {
    await transactWrite(items);
  } catch (error) {
    throw brokenReference(error, items) ?? error;
  }
  return issue;
}

export async function requireIssue(workspaceId: string, issueId: string): Promise<MisalignmentIssue> {
  const issue = await getIssue(workspaceId, issueId);
  if (!issue) throw refuse.notFound('Misalignment issue not found');
  return issue;
}

/** A status change the issue's transitions refuse, with the issue as it is. */
function refuseStatusChange(before: MisalignmentIssue, to: IssueStatus) {
  const refusal = issueStatusRefusal(before.status, to);
  if (refusal) throw new Refused({ ...refusal, details: { current: before } });
}

/**
 * Edits an issue's fields and status, conditional on the version the edit
 * was based on. Aggregates are left alone, so an occurrence logged meanwhile
 * does not make the edit stale.
 */
export async function updateIssue(
  workspaceId: string,
  issueId: string,
  patch: Partial<IssueFields> & { status?: IssueStatus },
  expectedVersion: number,
  actor: Actor,
  now: string,
): Promise<MisalignmentIssue> {
  const before = await requireIssue(workspaceId, issueId);
  if (before.version !== expectedVersion) {
    throw refuse.conflict(`The issue changed since version ${expectedVersion}; it is now version ${before.version}`, {
      current: before,
    });
  }
  if (patch.status) refuseStatusChange(before, patch.status);
  const after: MisalignmentIssue = { ...before, ...patch, updatedAt: now, version: before.version + 1 };
  const items: TransactItem[] = [
    issueFieldsUpdate(after, patch, expectedVersion),
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.updated',
      entity: 'misalignmentIssue',
      entityId: issueId,
      before: identityOf(before),
      after: identityOf(after),
      at: now,
    }),
  ];
  items.push(...(await referenceChecks(workspaceId, issueReferences(patch), items)));
  try {
    await transactWrite(items);
  } catch (error) {
    const refused = brokenReference(error, items);
    if (refused) throw refused;
    if (error instanceof TransactionConditionFailed && error.part === 'issue') {
      throw refuse.conflict(`The issue changed since version ${expectedVersion}`, {
        current: error.current ? toIssue(error.current) : undefined,
      });
    }
    throw error;
  }
  return after;
}

/**
 * The writes of a meeting decision that moves an issue's status, for the
 * decision's transaction: the issue's status (allowed transitions only,
 * conditional on the version read here, so an edit meanwhile fails the whole
 * decision), the meeting added to its meetings and the decision recorded on
 * it (the link back), and its audit event. The decision's transaction
 * names its parts, so these are left unnamed.
 */
export async function decisionStatusWrites(input: {
  workspaceId: string;
  issueId: string;
  status: IssueStatus;
  meetingId: string;
  decisionId: string;
  actor: Actor;
  now: string;
}): Promise<TransactItem[]> {
  const { workspaceId, issueId, actor, now } = input;
  const before = await requireIssue(workspaceId, issueId);
  refuseStatusChange(before, input.status);
  const decision: IssueDecision = {
    meetingId: input.meetingId,
    decisionId: input.decisionId,
    from: before.status,
    to: input.status,
    decidedAt: now,
    decidedBy: actor.email,
  };
  const meetingIds = before.meetingIds.includes(input.meetingId) ? before.meetingIds : [...before.meetingIds, input.meetingId];
  const after: MisalignmentIssue = { ...before, status: input.status, meetingIds, updatedAt: now, version: before.version + 1 };
  return [
    issueDecisionUpdate(before, after, decision),
    auditPut({
      workspaceId,
      actor,
      action: 'misalignmentIssue.updated',
      entity: 'misalignmentIssue',
      entityId: issueId,
      before: identityOf(before),
      after: { ...identityOf(after), decidedIn: { meetingId: input.meetingId, decisionId: input.decisionId } },
      at: now,
    }),
  ];
}
