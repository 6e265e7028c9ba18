import type { IssueDetail, ScoringModel } from '#contract/misalignment/misalignment';
import { actionPriority, recentCost, recentWindow, scoreIssue } from '#contract/misalignment/misalignment';
import { refuse } from '#contract/refusal';
import type { Caller } from '#contract/views';
import { auditPut } from '#functions/table/audit-trail';
import { getByKeys } from '#functions/table/batch-get';
import { TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { issueHistory } from './entities-issue-days';
import { issueKey, toIssue } from './entities-issues';
import { getScoringModelItem, modelOf, scoringModelKey, scoringModelPut } from './entities-scoring';

type Actor = Pick<Caller, 'email' | 'name'>;

/** The workspace's scoring model; the default (version 0) until the admin first saves one. */
export const getScoringModel = (workspaceId: string): Promise<ScoringModel> => getScoringModelItem(workspaceId);

/** An issue and the scoring model that scores it, read together in one BatchGetItem. */
export async function issueWithScoringModel(workspaceId: string, issueId: string) {
  const keys = [issueKey(workspaceId, issueId), scoringModelKey(workspaceId)];
  const found = await getByKeys(keys);
  const [issue, model] = keys.map((key) => found.get(key));
  if (!issue) throw refuse.notFound('Misalignment issue not found');
  return { issue: toIssue(issue), model: modelOf(model) };
}

/** An issue as its detail screen shows it: scored by the workspace's model, with its history. */
export async function issueDetail(workspaceId: string, issueId: string, now: string): Promise<IssueDetail> {
  const [{ issue, model }, history] = await Promise.all([
    issueWithScoringModel(workspaceId, issueId),
    issueHistory(workspaceId, issueId),
  ]);
  return {
    ...issue,
    ...history,
    score: scoreIssue(issue, model, now),
    actionPriority: actionPriority(issue),
    recentCost: recentCost(issue.recentCostByMonth, now),
    recentSince: `${recentWindow(now)[0]}-01`,
  };
}

export type ScoringModelInput = Omit<ScoringModel, 'updatedAt' | 'updatedBy' | 'version'>;

/** Replaces the scoring model, conditional on the version it was based on (0 for the default). */
export async function saveScoringModel(
  workspaceId: string,
  input: ScoringModelInput,
  expectedVersion: number,
  actor: Actor,
  now: string,
): Promise<ScoringModel> {
  const before = await getScoringModel(workspaceId);
  const after: ScoringModel = { ...input, updatedAt: now, updatedBy: actor.email, version: expectedVersion + 1 };
  try {
    await transactWrite([
      scoringModelPut(workspaceId, after, expectedVersion),
      auditPut({
        workspaceId,
        actor,
        action: 'scoringModel.updated',
        entity: 'scoringModel',
        entityId: 'scoringModel',
        before,
        after,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.part === 'model') {
      throw refuse.conflict(`The scoring model changed since version ${expectedVersion}`, {
        current: error.current ? modelOf(error.current) : before,
      });
    }
    throw error;
  }
  return after;
}
