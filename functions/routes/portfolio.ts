import type { PortfolioItem } from '../domain/portfolio';
import { pageQuerySchema, workspaceParams } from '../schemas/common';
import { createPortfolioItemBody } from '../schemas/portfolio';
import { manager, member, returns, route } from './define';

/** The products and services a workspace sells. */
export const portfolioRoutes = {
  listPortfolioItems: route({
    method: 'GET',
    path: '/workspaces/{workspaceId}/portfolio-items',
    handler: 'portfolio/list',
    summary: 'Portfolio items of the workspace, a page at a time',
    access: member,
    writes: false,
    params: workspaceParams,
    query: pageQuerySchema,
    response: returns<{ items: PortfolioItem[]; nextCursor: string | null }>(),
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
    response: returns<PortfolioItem>(),
  }),
};
