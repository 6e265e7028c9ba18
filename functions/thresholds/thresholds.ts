import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PortfolioItem } from '#contract/portfolio/portfolio';
import { type BudgetCycle, thresholdsEditable } from '#contract/thresholds/cycles';
import {
  type AgreedThreshold,
  diffTerms,
  isAgreed,
  type SignOff,
  type SignOffFunction,
  type SignOffRole,
  samePerson,
  signOffRefusal,
  type ThresholdHead,
  type ThresholdTerms,
  type ThresholdVersion,
} from '#contract/thresholds/thresholds';
import type { Caller, MemberView } from '#contract/views';
import type { MemberFunction, MemberRole } from '#contract/workspaces/members';
import { auditPut } from '#functions/audit/audit';
import { BadRequest, Conflict, Forbidden, NotFound } from '#functions/kernel/errors';
import {
  agreedSk,
  cycleThresholdsGsiPk,
  headSk,
  itemCollectionPk,
  versionPrefix,
  versionSk,
} from '#functions/portfolio/item-collection';
import { agreedOnItemUpdate, portfolioItemKey, toPortfolioItem } from '#functions/portfolio/portfolio';
import { getByKeys } from '#functions/table/batch-get';
import { dynamo, tableName } from '#functions/table/client';
import { type Page, queryAll, queryPage } from '#functions/table/pages';
import { type TransactItem, TransactionConditionFailed, transactWrite } from '#functions/table/transactions';
import { membershipUnchanged } from '#functions/workspaces/workspaces';
import { cycleKey, toCycle } from './cycle-records';

const headKey = (workspaceId: string, itemId: string, cycleId: string) => ({
  pk: itemCollectionPk(workspaceId, itemId),
  sk: headSk(cycleId),
});

function toHead(item: Record<string, unknown>): ThresholdHead {
  return {
    workspaceId: item.workspaceId as string,
    itemId: item.itemId as string,
    itemCode: item.itemCode as string,
    itemName: item.itemName as string,
    cycleId: item.cycleId as string,
    latest: item.latest as ThresholdVersion,
    signOffs: (item.signOffs as SignOff[]) ?? [],
    agreed: (item.agreed as ThresholdVersion | null) ?? null,
    agreedSignOffs: (item.agreedSignOffs as SignOff[]) ?? [],
    updatedAt: item.updatedAt as string,
    version: item.version as number,
    revision: (item.revision as number | undefined) ?? 0,
  };
}

function toVersion(item: Record<string, unknown>): ThresholdVersion {
  return {
    workspaceId: item.workspaceId as string,
    itemId: item.itemId as string,
    cycleId: item.cycleId as string,
    version: item.version as number,
    terms: item.terms as ThresholdTerms,
    changes: (item.changes as ThresholdVersion['changes']) ?? [],
    origin: (item.origin as ThresholdVersion['origin']) ?? null,
    createdBy: item.createdBy as string,
    createdByName: item.createdByName as string,
    createdAt: item.createdAt as string,
  };
}

function headItem(head: ThresholdHead) {
  return {
    ...headKey(head.workspaceId, head.itemId, head.cycleId),
    gsi1pk: cycleThresholdsGsiPk(head.workspaceId, head.cycleId),
    gsi1sk: `THRESHOLD#${head.itemId}`,
    type: 'ThresholdHead',
    ...head,
  };
}

function versionItem(version: ThresholdVersion) {
  return {
    pk: itemCollectionPk(version.workspaceId, version.itemId),
    sk: versionSk(version.cycleId, version.version),
    type: 'ThresholdVersion',
    ...version,
  };
}

export async function getThresholdHead(workspaceId: string, itemId: string, cycleId: string) {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: headKey(workspaceId, itemId, cycleId), ConsistentRead: true }),
  );
  return Item ? toHead(Item) : undefined;
}

/** What a threshold edit or sign-off reads before it writes. */
interface ThresholdContext {
  cycle: BudgetCycle;
  item: PortfolioItem | undefined;
  head: ThresholdHead | undefined;
  /** The agreed threshold reps see now (`CHECK#~AGREED`), read only when asked for. */
  published: Record<string, unknown> | undefined;
}

/**
 * The cycle, the portfolio item, the item's threshold head in the cycle and,
 * when `published` is asked for, the agreed threshold the item publishes:
 * one strongly consistent BatchGetItem instead of a GetItem each, as they
 * live in different partitions. An unknown cycle answers 404.
 */
async function readThresholdContext(
  workspaceId: string,
  cycleId: string,
  itemId: string,
  options: { published: boolean },
): Promise<ThresholdContext> {
  const keys = {
    cycle: cycleKey(workspaceId, cycleId),
    item: portfolioItemKey(workspaceId, itemId),
    head: headKey(workspaceId, itemId, cycleId),
    published: { pk: itemCollectionPk(workspaceId, itemId), sk: agreedSk },
  };
  const found = await getByKeys([keys.cycle, keys.item, keys.head, ...(options.published ? [keys.published] : [])]);
  const cycle = found.get(keys.cycle);
  if (!cycle) throw new NotFound('Budget cycle not found');
  const item = found.get(keys.item);
  const head = found.get(keys.head);
  return {
    cycle: toCycle(cycle),
    item: item ? toPortfolioItem(item) : undefined,
    head: head ? toHead(head) : undefined,
    published: options.published ? found.get(keys.published) : undefined,
  };
}

const requireItem = (item: PortfolioItem | undefined): PortfolioItem => {
  if (!item) throw new NotFound('Portfolio item not found');
  return item;
};

/** What the threshold editor shows: the cycle, the item and its threshold in the cycle (null before the first version). */
export async function getThresholdView(input: { workspaceId: string; cycleId: string; itemId: string }) {
  const { cycle, item, head } = await readThresholdContext(input.workspaceId, input.cycleId, input.itemId, {
    published: false,
  });
  return { cycle, item: requireItem(item), threshold: head ?? null };
}

/** The thresholds of a cycle, one per item that has one (agreed or pending). */
export function listCycleThresholds(
  workspaceId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ThresholdHead>> {
  return queryPage(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': cycleThresholdsGsiPk(workspaceId, cycleId) },
    },
    page,
    toHead,
  );
}

/** Versions of one threshold, newest first, each with its changes against the one before. */
export function listThresholdVersions(
  workspaceId: string,
  itemId: string,
  cycleId: string,
  page: { limit: number; cursor?: string },
): Promise<Page<ThresholdVersion>> {
  return queryPage(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': itemCollectionPk(workspaceId, itemId), ':prefix': versionPrefix(cycleId) },
      ScanIndexForward: false,
    },
    page,
    toVersion,
  );
}

function staleEdit(expected: number | null, current: ThresholdHead | undefined): never {
  if (current && current.version === expected) {
    throw new Conflict(`Version ${expected} was signed off while you edited it; review the sign-offs and save again`, {
      current,
    });
  }
  const now = current ? `it is now version ${current.version}` : 'it has no version yet';
  throw new Conflict(`The threshold changed since ${expected === null ? 'you opened it' : `version ${expected}`}; ${now}`, {
    current: current ?? null,
  });
}

function requireEditable(cycle: BudgetCycle) {
  if (!thresholdsEditable(cycle.state)) {
    throw new Conflict(`The cycle is ${cycle.state}: its thresholds can no longer change`);
  }
}

/**
 * Saves a new version of an item's threshold in a cycle. The edit is based
 * on `expectedVersion` (null for the first); a stale base gets 409 with the
 * current threshold. The new version starts without sign-offs.
 */
export async function saveThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string; terms: ThresholdTerms; expectedVersion: number | null },
  actor: Caller,
  now: string,
): Promise<ThresholdHead> {
  const { workspaceId, itemId } = input;
  const context = await readThresholdContext(workspaceId, input.cycleId, itemId, { published: false });
  const { cycle, head } = context;
  requireEditable(cycle);
  const item = requireItem(context.item);
  if (item.archived) throw new Conflict(`${item.code} is archived; bring it back before setting its threshold`);
  if ((head?.version ?? null) !== input.expectedVersion) staleEdit(input.expectedVersion, head);
  const changes = diffTerms(head?.latest.terms ?? null, input.terms);
  if (head && changes.length === 0) throw new BadRequest('Nothing changed: the terms equal the latest version');
  const number = (head?.version ?? 0) + 1;
  const version: ThresholdVersion = {
    workspaceId,
    itemId,
    cycleId: cycle.id,
    version: number,
    terms: input.terms,
    changes,
    origin: null,
    createdBy: actor.email,
    createdByName: actor.name,
    createdAt: now,
  };
  const after: ThresholdHead = {
    workspaceId,
    itemId,
    itemCode: item.code,
    itemName: item.name,
    cycleId: cycle.id,
    latest: version,
    signOffs: [],
    agreed: head?.agreed ?? null,
    agreedSignOffs: head?.agreedSignOffs ?? [],
    updatedAt: now,
    version: number,
    revision: (head?.revision ?? 0) + 1,
  };
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: headItem(after),
          // On the whole head as read: a sign-off landing meanwhile (maybe the one that agrees it) fails the edit.
          ...(head ? headUnchanged(head) : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      { Put: { TableName: tableName(), Item: versionItem(version), ConditionExpression: 'attribute_not_exists(pk)' } },
      auditPut({
        workspaceId,
        actor,
        action: 'threshold.versionSaved',
        entity: 'threshold',
        entityId: `${itemId}#${cycle.id}`,
        before: head?.latest ?? null,
        after: version,
        at: now,
      }),
    ]);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index <= 1) {
      staleEdit(input.expectedVersion, await getThresholdHead(workspaceId, itemId, cycle.id));
    }
    throw error;
  }
  return after;
}

/** Someone signing a threshold version: who they are, and their membership as it was read for this request. */
export interface Signer {
  workspaceId: string;
  email: string;
  sub?: string;
  name: string;
  function: MemberFunction;
  role: MemberRole;
}

/** The signer behind a request: the caller's identity with their membership in the workspace. */
export const signerOf = (member: MemberView, caller: Caller): Signer => ({
  workspaceId: member.workspaceId,
  email: member.email,
  sub: caller.sub,
  name: caller.name || member.name,
  function: member.function,
  role: member.role,
});

/**
 * The condition every write of a threshold head carries: the head is still
 * the one read, whole (its revision). Heads kept from before the revision
 * existed are matched on the version and sign-off count they had then; their
 * next write gives them a revision.
 */
function headUnchanged(head: ThresholdHead) {
  return head.revision > 0
    ? { ConditionExpression: 'revision = :revision', ExpressionAttributeValues: { ':revision': head.revision } }
    : {
        ConditionExpression: 'attribute_not_exists(revision) AND version = :version AND size(signOffs) = :count',
        ExpressionAttributeValues: { ':version': head.version, ':count': head.signOffs.length },
      };
}

function refuse(refusal: { status: 403 | 404 | 409; message: string }, head: ThresholdHead): never {
  if (refusal.status === 403) throw new Forbidden(refusal.message);
  if (refusal.status === 404) throw new NotFound(refusal.message);
  throw new Conflict(refusal.message, { current: head });
}

/** Positions of the parts every sign-off transaction starts with, to tell which condition failed. */
const signOffParts = { head: 0, membership: 1 } as const;

/**
 * The sign-off rule applied to one signer, and the writes that record it:
 * the signature (with the signer's function and role at this moment), and
 * with both sales and operations signed by two people, the agreement and its
 * publication on the catalogue, all in one transaction. The head's Put is
 * conditional on its revision as read and the membership on being unchanged,
 * so neither an edit, another signature nor a change of the signer's
 * function can interleave. `via` records the meeting decision the signer
 * confirmed.
 */
function signOffWrites(input: {
  context: ThresholdContext;
  version: number;
  signer: Signer;
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
  via?: { meetingId: string; decisionId: string };
}): { after: ThresholdHead; writes: TransactItem[] } {
  const { context, signer, now } = input;
  const { cycle, head } = context;
  requireEditable(cycle);
  if (!head) throw new NotFound('This item has no threshold in this cycle');
  const refusal = signOffRefusal(head, input.version, signer);
  if (refusal) refuse(refusal, head);
  const signOff: SignOff = {
    email: signer.email,
    ...(signer.sub ? { sub: signer.sub } : {}),
    name: signer.name,
    function: signer.function as SignOffFunction,
    role: signer.role as SignOffRole,
    at: now,
    ...(input.via ? { via: input.via } : {}),
  };
  const signOffs = [...head.signOffs, signOff];
  const agreedNow = isAgreed(signOffs);
  const after: ThresholdHead = {
    ...head,
    signOffs,
    agreed: agreedNow ? head.latest : head.agreed,
    agreedSignOffs: agreedNow ? signOffs : head.agreedSignOffs,
    updatedAt: now,
    revision: head.revision + 1,
  };
  const writes: TransactItem[] = [
    { Put: { TableName: tableName(), Item: headItem(after), ...headUnchanged(head) } },
    membershipUnchanged(signer),
    auditPut({
      workspaceId: signer.workspaceId,
      actor: input.actor,
      action: agreedNow ? 'threshold.agreed' : 'threshold.signedOff',
      entity: 'threshold',
      entityId: `${head.itemId}#${cycle.id}`,
      before: { version: head.version, revision: head.revision, signOffs: head.signOffs },
      after: { version: head.version, revision: after.revision, signOff, signOffs, agreed: agreedNow },
      at: now,
    }),
  ];
  if (agreedNow) writes.push(...publishAgreed(signer.workspaceId, context, after, now));
  return { after, writes };
}

/** How many times a sign-off is tried again when the head moved under it: the rule is applied afresh each time. */
const signOffAttempts = 4;

/**
 * Runs a sign-off transaction built from a fresh read. When the head or the
 * publication moved meanwhile (another signature, an edit), it reads again
 * and applies the rule to what is there now: a version edited meanwhile is
 * refused as superseded, a second signature of the same function as taken.
 */
async function withFreshHead<T>(
  input: { workspaceId: string; cycleId: string; itemId: string },
  build: (context: ThresholdContext) => { writes: TransactItem[]; result: T },
  write: (items: TransactItem[]) => Promise<void> = transactWrite,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const context = await readThresholdContext(input.workspaceId, input.cycleId, input.itemId, { published: true });
    const { writes, result } = build(context);
    try {
      await write(writes);
      return result;
    } catch (error) {
      if (!(error instanceof TransactionConditionFailed)) throw error;
      if (error.index === signOffParts.membership) {
        throw new Conflict('Your function or role changed while you signed; check your membership and sign again');
      }
      if (error.index !== signOffParts.head && !isPublication(writes[error.index])) throw error;
      if (attempt >= signOffAttempts) {
        const current = await getThresholdHead(input.workspaceId, input.itemId, input.cycleId);
        throw new Conflict('The threshold changed while you signed; check the latest version and sign again', { current });
      }
    }
  }
}

const isPublication = (item: TransactItem | undefined) => item?.Put?.Item?.type === 'AgreedThreshold';

/**
 * Signs off `version` for the signer's function, as the signer (nobody signs
 * for anyone else). With a sales and an operations signature of two people,
 * the version is agreed: it becomes what reps see on the catalogue and what
 * promise checks use, in the same transaction.
 */
export function signOffThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string; version: number },
  signer: Signer,
  now: string,
): Promise<ThresholdHead> {
  return withFreshHead(input, (context) => {
    const { after, writes } = signOffWrites({ context, version: input.version, signer, actor: signer, now });
    return { writes, result: after };
  });
}

/**
 * Why a meeting decision cannot propose signing `version` of an item's
 * threshold off, thrown as 404 or 409; otherwise the ConditionCheck that
 * keeps the version the latest until the decision is written. The proposal
 * signs nothing: each named signer confirms it ({@link confirmSignOff}).
 */
export async function signOffProposalCheck(input: {
  workspaceId: string;
  cycleId: string;
  itemId: string;
  version: number;
}): Promise<TransactItem[]> {
  const context = await readThresholdContext(input.workspaceId, input.cycleId, input.itemId, { published: false });
  requireEditable(context.cycle);
  const head = context.head;
  if (!head) throw new NotFound('This item has no threshold in this cycle');
  if (input.version < 1 || input.version > head.version) {
    throw new NotFound(`Version ${input.version} does not exist; the latest is version ${head.version}`);
  }
  if (input.version !== head.version) {
    throw new Conflict(`Version ${input.version} was superseded by version ${head.version}; sign the latest version`, {
      current: head,
    });
  }
  if (head.agreed?.version === input.version) throw new Conflict(`Version ${input.version} is already agreed`);
  return [
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: headKey(input.workspaceId, input.itemId, input.cycleId),
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':version': input.version },
      },
    },
  ];
}

/**
 * A named signer's confirmation of a sign-off a meeting decision proposed:
 * their own signature under the sign-off rule, marked with the decision,
 * written by `write` together with the decision's record of the
 * confirmation. A signer who has already signed this version for the same
 * function keeps that signature: only the confirmation is recorded (the head
 * must still be as read).
 */
export function confirmSignOff(
  input: { workspaceId: string; cycleId: string; itemId: string; version: number; meetingId: string; decisionId: string },
  signer: Signer,
  now: string,
  write: (thresholdWrites: TransactItem[]) => Promise<void>,
): Promise<ThresholdHead> {
  const via = { meetingId: input.meetingId, decisionId: input.decisionId };
  return withFreshHead(
    input,
    (context) => {
      const head = context.head;
      const standing = head?.signOffs.find((signOff) => samePerson(signOff, signer) && signOff.function === signer.function);
      if (head && standing && head.version === input.version) {
        return {
          writes: [
            {
              ConditionCheck: {
                TableName: tableName(),
                Key: headKey(input.workspaceId, input.itemId, input.cycleId),
                ...headUnchanged(head),
              },
            },
            membershipUnchanged(signer),
          ],
          result: head,
        };
      }
      const { after, writes } = signOffWrites({ context, version: input.version, signer, actor: signer, now, via });
      return { writes, result: after };
    },
    write,
  );
}

/**
 * The writes that make an agreed version the one reps see: the agreed item
 * the promise check reads, and its copy on the portfolio item for the
 * catalogue, built from the item and the published threshold read with the
 * head (the Put is conditional on the publication as read). A cycle that
 * starts before the one already published does not replace it, so
 * re-agreeing an old cycle never hides a newer agreement.
 */
function publishAgreed(workspaceId: string, context: ThresholdContext, head: ThresholdHead, now: string) {
  const { cycle, published } = context;
  const item = requireItem(context.item);
  const pk = itemCollectionPk(workspaceId, head.itemId);
  if (published && (published.agreed as AgreedThreshold).cycleStartDate > cycle.startDate) return [];
  const agreed: AgreedThreshold = {
    itemId: item.id,
    itemCode: item.code,
    itemName: item.name,
    kind: item.kind,
    unit: item.unit,
    cycleId: cycle.id,
    cycleName: cycle.name,
    cycleStartDate: cycle.startDate,
    holidays: cycle.holidays,
    version: head.version,
    terms: head.latest.terms,
    signOffs: head.signOffs,
    agreedAt: now,
  };
  const publishedVersion = (published?.version as number | undefined) ?? 0;
  return [
    {
      Put: {
        TableName: tableName(),
        // `version` here counts publications, so a check-then-commit can tell the threshold moved under it.
        Item: {
          pk,
          sk: agreedSk,
          type: 'AgreedThreshold',
          workspaceId,
          agreed,
          archived: item.archived,
          version: publishedVersion + 1,
        },
        ...(published
          ? { ConditionExpression: 'version = :published', ExpressionAttributeValues: { ':published': publishedVersion } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    agreedOnItemUpdate(workspaceId, head.itemId, agreed, now),
  ] satisfies TransactItem[];
}

/** Chunk size of copied thresholds per transaction: two writes each plus one audit event stays under 100. */
const copyChunk = 40;

/** Copies every threshold agreed in `source` into `target` as version 1 proposals, linked to their origin. */
export async function copyAgreedThresholds(
  workspaceId: string,
  source: BudgetCycle,
  target: BudgetCycle,
  actor: Caller,
  now: string,
): Promise<number> {
  const heads = await queryAll(
    {
      TableName: tableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': cycleThresholdsGsiPk(workspaceId, source.id) },
    },
    toHead,
  );
  const agreed = heads.filter((head) => head.agreed);
  for (let start = 0; start < agreed.length; start += copyChunk) {
    const chunk = agreed.slice(start, start + copyChunk);
    const writes: TransactItem[] = [];
    for (const head of chunk) {
      if (!head.agreed) continue;
      const version: ThresholdVersion = {
        workspaceId,
        itemId: head.itemId,
        cycleId: target.id,
        version: 1,
        terms: head.agreed.terms,
        changes: diffTerms(null, head.agreed.terms),
        origin: { cycleId: source.id, cycleName: source.name, version: head.agreed.version },
        createdBy: actor.email,
        createdByName: actor.name,
        createdAt: now,
      };
      const proposal: ThresholdHead = {
        workspaceId,
        itemId: head.itemId,
        itemCode: head.itemCode,
        itemName: head.itemName,
        cycleId: target.id,
        latest: version,
        signOffs: [],
        agreed: null,
        agreedSignOffs: [],
        updatedAt: now,
        version: 1,
        revision: 1,
      };
      writes.push(
        { Put: { TableName: tableName(), Item: headItem(proposal), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: tableName(), Item: versionItem(version), ConditionExpression: 'attribute_not_exists(pk)' } },
      );
    }
    writes.push(
      auditPut({
        workspaceId,
        actor,
        action: 'threshold.copiedFromCycle',
        entity: 'cycle',
        entityId: target.id,
        after: { from: source.id, items: chunk.map((head) => head.itemId) },
        at: now,
      }),
    );
    await transactWrite(writes);
  }
  return agreed.length;
}
