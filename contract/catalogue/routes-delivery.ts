import { workspaceParams } from '#contract/common';
import { member, returns, route } from '#contract/define';
import type { CommitmentView } from './commitments';
import type { DeliveryImportReport } from './deliveries';
import type { PromiseKeptRate } from './kept-rate';
import { deliveryParams, importDeliveriesBody, keptRateQuery, recordDeliveryBody } from './schemas-deliveries';

/** Operations managers and admins record what was delivered. */
const operations = { kind: 'member', roles: ['admin', 'manager'], functions: ['operations'] } as const;

/** Deliveries against commitments and the promise-kept rate they add up to. */
export const deliveryRoutes = {
  recordDelivery: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}/commitments/{commitmentId}/deliveries',
    handler: 'catalogue/deliveries/record',
    summary:
      'Record a delivery of a commitment by hand (date and quantity; partial deliveries add up) or that it was missed, with the reason',
    access: operations,
    writes: true,
    status: 201,
    machine: true,
    machineActsAs: 'operations manager',
    params: deliveryParams,
    body: recordDeliveryBody,
    response: returns<CommitmentView>(),
  }),
  importDeliveries: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/deliveries/import',
    handler: 'catalogue/deliveries/import',
    summary:
      'Import deliveries from the ERP (CSV or rows), matched to commitments by their reference; answers what was applied, not matched, ambiguous or invalid',
    access: operations,
    writes: true,
    bulk: true,
    machine: true,
    machineActsAs: 'operations manager',
    maxBodyBytes: 256 * 1024,
    params: workspaceParams,
    body: importDeliveriesBody,
    response: returns<DeliveryImportReport>(),
  }),
  getPromiseKeptRate: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/promise-kept-rate',
    handler: 'catalogue/deliveries/kept-rate',
    summary:
      'Promises kept on time and in full, to the promised and to the requested date, per week, for an item, rep, band, cycle or the workspace',
    access: member,
    writes: false,
    unpaged: 'a bounded series of at most 104 weeks, one counter each',
    params: workspaceParams,
    query: keptRateQuery,
    response: returns<PromiseKeptRate>(),
  }),
};
