import { actionPriority, recentCost, scoreIssue } from '../../domain/misalignment';
import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { requireIssue } from '../../store/misalignment';
import { getScoringModel } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.getMisalignmentIssue, async ({ params, now }) => {
  const [issue, model] = await Promise.all([
    requireIssue(params.workspaceId, params.issueId),
    getScoringModel(params.workspaceId),
  ]);
  return {
    ...issue,
    score: scoreIssue(issue, model, now),
    actionPriority: actionPriority(issue),
    recentCost: recentCost(issue.costByDay, now),
  };
});
