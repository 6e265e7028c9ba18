import { actionPriority, recentCost, recentWindow, scoreIssue } from '../../domain/misalignment';
import { defineHandler } from '../../lib/http';
import { misalignmentRoutes } from '../../routes/misalignment';
import { issueHistory } from '../../store/misalignment';
import { issueWithScoringModel } from '../../store/ranking';

export const handler = defineHandler(misalignmentRoutes.getMisalignmentIssue, async ({ params, now }) => {
  const [{ issue, model }, history] = await Promise.all([
    issueWithScoringModel(params.workspaceId, params.issueId),
    issueHistory(params.workspaceId, params.issueId),
  ]);
  return {
    ...issue,
    ...history,
    score: scoreIssue(issue, model, now),
    actionPriority: actionPriority(issue),
    recentCost: recentCost(issue.recentCostByMonth, now),
    recentSince: `${recentWindow(now)[0]}-01`,
  };
});
