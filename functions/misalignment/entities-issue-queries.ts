import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import {
  type IssueAggregates,
  type IssueCategory,
  type IssueStatus,
  issueCategories,
  issueStatuses,
  type MisalignmentIssue,
} from '#contract/misalignment/misalignment';
import type { MemberFunction } from '#contract/workspaces/members';
import { tableName } from '#functions/table/client';
import { workspacePk } from '#functions/table/keys';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { aggregatesOf, rankedAggregateAttributes } from './entities-aggregates';
import { issuePrefix, toIssue } from './entities-issues';

/**
 * The reads of many issues: one Query over the workspace partition's
 * `ISSUE#` items, filtered, whole or projected to what a ranking reads.
 */

export interface IssueFilters {
  category?: IssueCategory;
  status?: IssueStatus;
  itemId?: string;
  function?: MemberFunction;
  owner?: string;
  /** Title contains this text, case-insensitive. */
  q?: string;
}

function filterExpression(filters: IssueFilters) {
  const clauses: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const add = (clause: string, name: string, value: unknown) => {
    clauses.push(clause);
    names[`#${name}`] = name;
    values[`:${name}`] = value;
  };
  if (filters.category) add('#category = :category', 'category', filters.category);
  if (filters.status) add('#status = :status', 'status', filters.status);
  if (filters.owner) add('#owner = :owner', 'owner', filters.owner);
  if (filters.itemId) add('contains(#itemIds, :itemIds)', 'itemIds', filters.itemId);
  if (filters.function) add('contains(#functions, :functions)', 'functions', filters.function);
  if (filters.q) add('contains(#titleLower, :titleLower)', 'titleLower', filters.q.toLowerCase());
  return clauses.length === 0
    ? {}
    : { FilterExpression: clauses.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

function issueQuery(workspaceId: string, filters: IssueFilters) {
  const filter = filterExpression(filters);
  return {
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ...filter,
    ExpressionAttributeValues: {
      ':pk': workspacePk(workspaceId),
      ':prefix': issuePrefix,
      ...filter.ExpressionAttributeValues,
    },
    ScanIndexForward: false,
  };
}

/** One page of the issues matching the filters, newest first (filters apply within the page read). */
export function queryIssuePage(
  workspaceId: string,
  filters: IssueFilters,
  page: { limit: number; cursor?: string },
): Promise<Page<MisalignmentIssue>> {
  return queryPage(issueQuery(workspaceId, filters), page, toIssue);
}

/** Every issue matching the filters, newest first: one paginated Query over the issue items, never occurrences. */
export function queryAllIssues(workspaceId: string, filters: IssueFilters = {}): Promise<MisalignmentIssue[]> {
  return queryAll(issueQuery(workspaceId, filters), toIssue);
}

/** What a ranking reads of an issue: who it is and the aggregates that score it. */
export type RankedIssue = Pick<MisalignmentIssue, 'id' | 'title' | 'category' | 'status' | 'currency'> & IssueAggregates;

const rankedIssue = lazySchema(() =>
  z.pipe(
    z.looseObject({
      id: z.string(),
      title: z.string(),
      category: z.enum(issueCategories),
      status: z.enum(issueStatuses),
      currency: z.string(),
    }),
    z.transform(
      (item): RankedIssue => ({
        id: item.id,
        title: item.title,
        category: item.category,
        status: item.status,
        currency: item.currency,
        ...aggregatesOf(item),
      }),
    ),
  ),
);

/**
 * Every issue of the workspace with only what a ranking reads: identity,
 * status, cost and count aggregates, detection stages and the recent window's
 * monthly buckets (named for the months of the window at `now`). One
 * paginated Query like {@link queryAllIssues}, but the answer carries the
 * same few attributes per issue however much else the issue has gathered
 * (notes, links, decisions, buckets of months gone by).
 */
export function rankingIssues(workspaceId: string, now: string): Promise<RankedIssue[]> {
  const wanted = ['id', 'title', 'category', 'status', 'currency', ...rankedAggregateAttributes(now)];
  const names = Object.fromEntries(wanted.map((name, index) => [`#p${index}`, name]));
  return queryAll(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': workspacePk(workspaceId), ':prefix': issuePrefix },
      ScanIndexForward: false,
    },
    (item) => rankedIssue.parse(item),
  );
}
