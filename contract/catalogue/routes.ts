import { workspaceParams } from '#contract/common';
import { member, returns, route } from '#contract/define';
import type { Page } from '#contract/page';
import type { CatalogueEntry } from '#contract/thresholds/thresholds';
import type { CommitmentView } from './commitments';
import type { PromiseAnswer } from './promise';
import {
  cancelCommitmentBody,
  catalogueItemParams,
  commitmentParams,
  listCatalogueQuery,
  listCommitmentsQuery,
  promiseCheckQuery,
  recordCommitmentBody,
} from './schemas';

/** The rep's side: the catalogue of agreed thresholds, the promise check and commitments. */
export const catalogueRoutes = {
  listCatalogue: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/catalogue',
    handler: 'catalogue/list',
    summary: 'Portfolio items in use with their latest agreed threshold, paged; search by code or name, filter by kind',
    access: member,
    writes: false,
    params: workspaceParams,
    query: listCatalogueQuery,
    response: returns<Page<CatalogueEntry>>(),
  }),
  getCatalogueItem: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}',
    handler: 'catalogue/get',
    summary: 'One item with its latest agreed threshold',
    access: member,
    writes: false,
    params: catalogueItemParams,
    response: returns<CatalogueEntry>(),
  }),
  promiseCheck: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}/promise-check',
    handler: 'catalogue/check',
    summary: 'Can we deliver this quantity by this date? standard, flex (with its cost) or beyond, citing the threshold version',
    access: member,
    writes: false,
    params: catalogueItemParams,
    query: promiseCheckQuery,
    response: returns<PromiseAnswer>(),
  }),
  listCommitments: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}/commitments',
    handler: 'catalogue/commitments/list',
    summary: 'Commitments recorded on an item, paged',
    access: member,
    writes: false,
    params: catalogueItemParams,
    query: listCommitmentsQuery,
    response: returns<Page<CommitmentView>>(),
  }),
  recordCommitment: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}/commitments',
    handler: 'catalogue/commitments/record',
    summary: 'Record a commitment to a customer; it takes capacity that later checks no longer see as free',
    access: member,
    writes: true,
    status: 201,
    params: catalogueItemParams,
    body: recordCommitmentBody,
    response: returns<{ commitment: CommitmentView; answer: PromiseAnswer }>(),
  }),
  cancelCommitment: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/catalogue/{itemId}/commitments/{commitmentId}/cancel',
    handler: 'catalogue/commitments/cancel',
    summary: 'Cancel a commitment and give its capacity back',
    access: member,
    writes: true,
    params: commitmentParams,
    body: cancelCommitmentBody,
    response: returns<CommitmentView>(),
  }),
};
