import type * as z from 'zod/mini';
import type { Access } from '#contract/workspaces/members';
import type { ReferenceDeclaration } from './references';

/** Largest JSON body a route accepts unless it declares its own `maxBodyBytes`. */
export const defaultMaxBodyBytes = 64 * 1024;

/**
 * How a route is declared. Each area of the API declares its routes in its own
 * module with {@link route}; `routes/index.ts` joins them into the route table.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every route is served under this prefix, on AWS (CloudFront `/api/*`) and locally. */
export const apiPrefix = '/api';

export interface RouteDefinition<
  P extends z.ZodMiniType = z.ZodMiniType,
  Q extends z.ZodMiniType = z.ZodMiniType,
  B extends z.ZodMiniType = z.ZodMiniType,
  R = unknown,
  A extends Access = Access,
  W extends boolean = boolean,
> {
  method: HttpMethod;
  /** Path below the API prefix, with `{name}` parameters as API Gateway writes them. */
  path: string;
  /**
   * The handler module, as `<area>/<name>`: the file `functions/<area>/handlers/<name>.ts`,
   * which exports `handler` (see {@link handlerFile}).
   */
  handler: string;
  summary: string;
  /** Who may call it; kept as its literal type, so a member route's handler gets `member` always set. */
  access: A;
  /**
   * Whether the route writes; read-only routes get read-only database access on
   * AWS, and their membership check runs beside their own reads (kept literal).
   */
  writes: W;
  /** Status of a successful answer. */
  status: 200 | 201;
  /**
   * Whether the route honours an `Idempotency-Key` header: a retry with the
   * same key and body answers the first response and writes nothing new.
   * Defaults to true for POST (creates), false otherwise.
   */
  idempotent?: boolean;
  /** Largest body this route accepts, in bytes; defaults to the API-wide limit, {@link defaultMaxBodyBytes}. */
  maxBodyBytes?: number;
  /**
   * Why this route answers a whole collection instead of a page (a backup is
   * one document, say). Every other list pages with `limit` and `cursor`.
   */
  unpaged?: string;
  /**
   * Whether the route moves a whole workspace's worth of data at once (export,
   * import, restore): the API throttles these routes lower than the rest.
   */
  bulk?: boolean;
  /**
   * Whether a machine caller (a CRM, an ERP) may call the route with a workspace
   * API key: it is then served a second time under `/machine` (see
   * `contract/machine.ts` and docs/decisions/0006-api-keys.md). Only routes a
   * rep may call, since a key acts as a rep-level member, unless
   * `machineActsAs` says otherwise.
   */
  machine?: boolean;
  /**
   * For a machine route only operations managers may call (an ERP sending
   * deliveries): a key an admin named on it acts there as an operations
   * manager, and as a rep everywhere else.
   */
  machineActsAs?: 'operations manager';
  /** Media type of a successful answer when it is not JSON; the handler then returns the body as a string. */
  contentType?: 'text/markdown; charset=utf-8';
  /**
   * What each id or member email in the body names, by its path
   * (`body.itemIds`, `body.links.issueId`; a list's items share its path). The
   * store checks each inside the write; the references test sends another
   * workspace's records into every declared field, and fails for a body field
   * that looks like a reference but is not declared.
   */
  references?: Record<string, ReferenceDeclaration>;
  params?: P;
  query?: Q;
  body?: B;
  /** Type-only marker for the answer's shape; always null at run time. */
  response: R;
}

/** Marks the answer type of a route for the typed web client. */
export const returns = <T>(): T => null as T;

/** Declares a route; `status` defaults to 200. Parts a route does not take are typed `never`. */
export function route<
  P extends z.ZodMiniType = never,
  Q extends z.ZodMiniType = never,
  B extends z.ZodMiniType = never,
  R = unknown,
  const A extends Access = Access,
  const W extends boolean = boolean,
>(
  definition: Omit<RouteDefinition, 'status' | 'params' | 'query' | 'body' | 'response' | 'access' | 'writes'> & {
    access: A;
    writes: W;
    status?: 200 | 201;
    params?: P;
    query?: Q;
    body?: B;
    response: R;
  },
): RouteDefinition<P, Q, B, R, A, W> {
  return { status: 200, ...definition };
}

// Literal types, not the wide `Access`: a route declared with one of these
// tells the type checker it is a member route (see HandlerInput['member']).
export const member = { kind: 'member' } as const satisfies Access;
export const admin = { kind: 'member', roles: ['admin'] } as const satisfies Access;
export const manager = { kind: 'member', roles: ['admin', 'manager'] } as const satisfies Access;

/** The file, below `functions/`, of a route's handler module `<area>/<name>`. */
export function handlerFile(handler: string): string {
  const [area, ...rest] = handler.split('/');
  return `${area}/handlers/${rest.join('/')}.ts`;
}

/**
 * Sub-folders of an area whose handlers get functions of their own. A
 * meeting's outcomes (decisions with their effects in other areas, actions,
 * sign-off confirmations) carry threshold and issue code that the rest of the
 * meetings area does not need; together the area's writes pass the bundle
 * budget (docs/decisions/0002-bundle-budget.md), apart each fits.
 */
// Each keeps its own function because the area's routes together outgrow the bundle budget
// (docs/decisions/0002-bundle-budget.md).
const ownFunctionFolders = new Set([
  'meetings/outcomes',
  'catalogue/commitments',
  'catalogue/deliveries',
  'catalogue/orders',
  'catalogue/unserved',
  'catalogue/decisions',
  'meetings/actions',
  'meetings/signatures',
]);

/**
 * The Lambda function a route's handler belongs to: its area, the first part of
 * `<area>/<name>`, so an area is one read function and one write function,
 * named like its folder; a sub-folder listed in {@link ownFunctionFolders} is a
 * group of its own (`meetings/outcomes/record-outcome` is in `outcomes`).
 * Why group by area at all: docs/decisions/0001-function-grouping.md.
 */
export function functionGroupOf(handler: string): string {
  const [area = handler, folder, ...rest] = handler.split('/');
  return folder !== undefined && rest.length > 0 && ownFunctionFolders.has(`${area}/${folder}`) ? folder : area;
}
