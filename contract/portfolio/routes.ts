import { workspaceParams } from '#contract/common';
import { manager, member, returns, route } from '#contract/define';
import type { Page } from '#contract/page';
import type { PortfolioItem } from './portfolio';
import type { ImportReport } from './portfolio-csv';
import {
  createPortfolioItemBody,
  importPortfolioBody,
  listPortfolioQuery,
  portfolioItemParams,
  updatePortfolioItemBody,
} from './schemas';

/** The products and services a workspace sells. */
export const portfolioRoutes = {
  listPortfolioItems: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/portfolio-items',
    handler: 'portfolio/list',
    summary: 'Portfolio items in code order, paged; search by code or name, filter by kind or archived',
    access: member,
    writes: false,
    params: workspaceParams,
    query: listPortfolioQuery,
    response: returns<Page<PortfolioItem>>(),
  }),
  createPortfolioItem: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/portfolio-items',
    handler: 'portfolio/create',
    summary: 'Add a product or service to the portfolio',
    access: manager,
    writes: true,
    status: 201,
    params: workspaceParams,
    body: createPortfolioItemBody,
    references: { 'body.owner': 'member' },
    response: returns<PortfolioItem>(),
  }),
  getPortfolioItem: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/portfolio-items/{itemId}',
    handler: 'portfolio/get',
    summary: 'One portfolio item',
    access: member,
    writes: false,
    params: portfolioItemParams,
    response: returns<PortfolioItem>(),
  }),
  updatePortfolioItem: route({
    method: 'PATCH',
    path: '/workspaces/{workspaceId}/portfolio-items/{itemId}',
    handler: 'portfolio/update',
    summary: 'Edit, archive or bring back a portfolio item',
    access: manager,
    writes: true,
    params: portfolioItemParams,
    body: updatePortfolioItemBody,
    references: { 'body.owner': 'member' },
    response: returns<PortfolioItem>(),
  }),
  importPortfolioItems: route({
    method: 'POST',
    path: '/workspaces/{workspaceId}/portfolio-imports',
    handler: 'portfolio/import',
    bulk: true,
    summary: 'Import portfolio items from CSV: valid rows are added, invalid rows reported by row and field',
    access: manager,
    writes: true,
    params: workspaceParams,
    body: importPortfolioBody,
    response: returns<ImportReport>(),
  }),
  exportPortfolioItems: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/portfolio-export',
    handler: 'portfolio/export',
    bulk: true,
    summary: 'The whole portfolio as CSV, in the import format',
    access: member,
    writes: false,
    unpaged: 'a CSV export is one file; its size is bounded by the per-workspace cap on portfolio items',
    params: workspaceParams,
    response: returns<{ filename: string; csv: string }>(),
  }),
};
