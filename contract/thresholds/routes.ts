import { workspaceParams } from '#contract/common';
import { manager, member, returns, route } from '#contract/define';
import type { Page } from '#contract/page';
import type { PlanBesideCapacity } from '#contract/plan/load';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { changeCycleStateBody, createCycleBody, cycleParams, listCyclesQuery } from './cycle-schemas';
import type { BudgetCycle } from './cycles';
import {
  applyThresholdCsvBody,
  maxThresholdCsvChars,
  previewThresholdCsvBody,
  saveThresholdBody,
  signOffParams,
  thresholdParams,
} from './schemas';
import type { ThresholdHead, ThresholdVersion } from './thresholds';
import type { ThresholdCsvApplied, ThresholdCsvPreview } from './thresholds-csv';

/** A thresholds file of the largest size, as a JSON string (quotes and line ends escaped), with room to spare. */
const thresholdCsvBodyBytes = maxThresholdCsvChars * 2;

/** Budget cycles and the operating thresholds agreed in them. */
export const thresholdRoutes = {
  listCycles: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles',
    handler: 'thresholds/cycles/list',
    summary: 'Budget cycles of the workspace, paged',
    access: member,
    writes: false,
    params: workspaceParams,
    query: listCyclesQuery,
    response: returns<Page<BudgetCycle>>(),
  }),
  createCycle: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles',
    handler: 'thresholds/cycles/create',
    summary: 'Create a budget cycle in draft, optionally starting from a previous cycle’s agreed thresholds',
    access: manager,
    writes: true,
    status: 201,
    params: workspaceParams,
    body: createCycleBody,
    references: { 'body.copyFrom': 'cycle' },
    response: returns<BudgetCycle & { copied: number }>(),
  }),
  getCycle: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}',
    handler: 'thresholds/cycles/get',
    summary: 'One budget cycle',
    access: member,
    writes: false,
    params: cycleParams,
    response: returns<BudgetCycle>(),
  }),
  changeCycleState: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/state',
    handler: 'thresholds/cycles/change-state',
    summary: 'Move a cycle to its next state: draft → planning → agreed → closed',
    access: manager,
    writes: true,
    params: cycleParams,
    body: changeCycleStateBody,
    response: returns<BudgetCycle>(),
  }),
  listCycleThresholds: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds',
    handler: 'thresholds/list',
    summary: 'Thresholds of a cycle with their latest and agreed versions, paged (managers)',
    access: manager,
    writes: false,
    params: cycleParams,
    query: listCyclesQuery,
    response: returns<Page<ThresholdHead>>(),
  }),
  getThreshold: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds/{itemId}',
    handler: 'thresholds/get',
    summary: 'The threshold of one item in a cycle, with the cycle, the item and its plan in the cycle (managers)',
    access: manager,
    writes: false,
    params: thresholdParams,
    response: returns<{ cycle: BudgetCycle; item: PortfolioItem; threshold: ThresholdHead | null; plan: PlanBesideCapacity }>(),
  }),
  listThresholdVersions: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds/{itemId}/versions',
    handler: 'thresholds/versions',
    summary: 'Versions of a threshold, newest first, each with who, when and its field-by-field changes (managers)',
    access: manager,
    writes: false,
    params: thresholdParams,
    query: listCyclesQuery,
    response: returns<Page<ThresholdVersion>>(),
  }),
  saveThreshold: route({
    method: 'PUT',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds/{itemId}',
    handler: 'thresholds/save',
    summary: 'Save a new version of an item’s threshold; a stale expectedVersion gets 409 with the current one',
    access: manager,
    writes: true,
    params: thresholdParams,
    body: saveThresholdBody,
    response: returns<ThresholdHead>(),
  }),
  signOffThreshold: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds/{itemId}/versions/{version}/sign-offs',
    handler: 'thresholds/sign-off',
    summary: 'Sign off the latest version for your function; sales and operations together agree it',
    access: { kind: 'member', roles: ['admin', 'manager'], functions: ['sales', 'operations'] },
    writes: true,
    status: 201,
    params: signOffParams,
    response: returns<ThresholdHead>(),
  }),
  previewThresholdCsv: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds-csv/preview',
    handler: 'thresholds/csv-preview',
    bulk: true,
    summary:
      'Update the thresholds of a cycle by CSV, step 1: what each row would do (new, changed field by field, unchanged, invalid), writing nothing',
    access: manager,
    writes: false,
    idempotent: false,
    unpaged: 'the preview answers every row of one bounded file (at most 1,000 rows)',
    maxBodyBytes: thresholdCsvBodyBytes,
    params: cycleParams,
    body: previewThresholdCsvBody,
    response: returns<ThresholdCsvPreview>(),
  }),
  applyThresholdCsv: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/thresholds-csv/apply',
    handler: 'thresholds/csv-apply',
    bulk: true,
    summary:
      'Update the thresholds of a cycle by CSV, step 2: saves a new version per previewed new or changed row, each waiting for both sign-offs again; refused when a threshold changed since the preview',
    access: manager,
    writes: true,
    maxBodyBytes: thresholdCsvBodyBytes,
    params: cycleParams,
    body: applyThresholdCsvBody,
    response: returns<ThresholdCsvApplied>(),
  }),
};
