import { manager, member, returns, route } from '#contract/define';
import type { PlanAttainmentView } from './attainment';
import type { PlanLoadView } from './load';
import type { SalesPlanSaved, SalesPlanView } from './plan';
import type { SalesPlanCsvPreview } from './plan-csv';
import type { PlanBacklog } from './proposals';
import {
  applySalesPlanCsvBody,
  maxPlanCsvChars,
  planAttainmentQuery,
  planLoadQuery,
  planParams,
  previewSalesPlanCsvBody,
  saveSalesPlanBody,
} from './schemas';

/** A save of 6,000 cells as JSON (~90 characters a cell), or a plan file as a JSON string, with room to spare. */
const planBodyBytes = Math.max(6_000 * 90, maxPlanCsvChars * 2);

/** The sales plan of a budget cycle and its load against the thresholds' capacity. */
export const planRoutes = {
  getSalesPlan: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan',
    handler: 'plan/get',
    summary: 'The current version of the sales plan of a cycle, totalled by family with its items',
    access: member,
    writes: false,
    unpaged: 'the plan is one document: every item of the portfolio with its periods, bounded by the cap on portfolio items',
    params: planParams,
    response: returns<SalesPlanView>(),
  }),
  saveSalesPlan: route({
    method: 'PUT',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan',
    handler: 'plan/save',
    bulk: true,
    summary: 'Save planned volumes (and value overrides) as a new version of the plan; sales managers and admins',
    access: manager,
    writes: true,
    maxBodyBytes: planBodyBytes,
    params: planParams,
    body: saveSalesPlanBody,
    response: returns<SalesPlanSaved>(),
  }),
  previewSalesPlanCsv: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan-csv/preview',
    handler: 'plan/csv-preview',
    bulk: true,
    summary: 'Update the plan by CSV, step 1: what each row would do (new, changed, unchanged, invalid), writing nothing',
    access: manager,
    writes: false,
    idempotent: false,
    unpaged: 'the preview answers every row of one bounded file (at most 6,000 rows)',
    maxBodyBytes: planBodyBytes,
    params: planParams,
    body: previewSalesPlanCsvBody,
    response: returns<SalesPlanCsvPreview>(),
  }),
  applySalesPlanCsv: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan-csv/apply',
    handler: 'plan/csv-apply',
    bulk: true,
    summary: 'Update the plan by CSV, step 2: writes the previewed rows as a new version; refused when the plan changed since',
    access: manager,
    writes: true,
    maxBodyBytes: planBodyBytes,
    params: planParams,
    body: applySalesPlanCsvBody,
    response: returns<SalesPlanSaved>(),
  }),
  getPlanLoad: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan/load',
    handler: 'plan/load',
    summary: 'The plan and commitments of each item, family and period against normal capacity and the flex band (managers)',
    access: manager,
    writes: false,
    unpaged: 'the load view is one document per cycle, bounded by the cap on portfolio items',
    params: planParams,
    query: planLoadQuery,
    response: returns<PlanLoadView>(),
  }),
  getPlanAttainment: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan/attainment',
    handler: 'plan/attainment',
    summary:
      'Plan against actual: commitments per item, family and period against the plan, and the items sold far above plan while their family lags',
    access: member,
    writes: false,
    unpaged: 'one document per cycle: the items planned or committed, bounded by the cap on portfolio items',
    params: planParams,
    query: planAttainmentQuery,
    response: returns<PlanAttainmentView>(),
  }),
  getPlanBacklog: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/cycles/{cycleId}/plan/backlog',
    handler: 'plan/backlog',
    summary:
      "What the plan proposes for a meeting's agenda: items planned beyond flex, sign-offs whose capacity is below plan (managers)",
    access: manager,
    writes: false,
    unpaged: 'at most two proposals per item with a threshold in the cycle, bounded by the cap on portfolio items',
    params: planParams,
    response: returns<PlanBacklog>(),
  }),
};
