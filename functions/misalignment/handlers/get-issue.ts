import { actionPriority, recentCost, recentWindow, scoreIssue } from '#contract/misalignment/misalignment';
import { misalignmentRoutes } from '#contract/misalignment/routes';
import { defineHandler } from '#functions/kernel/http';
import { issueHistory } from '#functions/misalignment/misalignment';
import { issueWithScoringModel } from '#functions/misalignment/ranking';

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
