import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type BudgetCycle, thresholdsEditable } from '../domain/cycles';
import type { PortfolioItem } from '../domain/portfolio';
import {
  type AgreedThreshold,
  diffTerms,
  isAgreed,
  type SignOff,
  type SignOffFunction,
  signOffRefusal,
  type ThresholdHead,
  type ThresholdTerms,
  type ThresholdVersion,
} from '../domain/thresholds';
import type { Caller, MemberView } from '../domain/views';
import { BadRequest, Conflict, Forbidden, NotFound } from '../lib/errors';
import { auditPut } from './audit';
import { getByKeys } from './batch-get';
import { dynamo, tableName } from './client';
import { cycleKey, toCycle } from './cycle-records';
import { agreedSk, cycleThresholdsGsiPk, headSk, itemCollectionPk, versionPrefix, versionSk } from './item-collection';
import { type Page, queryAll, queryPage } from './pages';
import { agreedOnItemUpdate, portfolioItemKey, toPortfolioItem } from './portfolio';
import { type TransactItem, TransactionConditionFailed, transactWrite } from './transactions';

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
  };
  try {
    await transactWrite([
      {
        Put: {
          TableName: tableName(),
          Item: headItem(after),
          ...(head
            ? { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': head.version } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
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

/** Someone signing a threshold version: the member's function and role decide whether they may. */
export interface Signer {
  email: string;
  name: string;
  function: MemberView['function'];
  role: MemberView['role'];
}

/**
 * The sign-off rule applied to one or more signers at once, and the writes
 * that record it: each signer is checked with `signOffRefusal` against the
 * threshold as it is after the signers before them, their sign-offs are
 * added, and with both sales and operations signed the version is agreed and
 * published in the same writes. The head's Put is conditional on its version
 * and sign-off count as read, so two signatures racing cannot both land, and
 * a version edited meanwhile is never signed. `via` records the meeting
 * decision that carried the sign-offs, on each sign-off.
 */
function signOffWrites(input: {
  workspaceId: string;
  context: ThresholdContext;
  itemId: string;
  version: number;
  signers: Signer[];
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
  via?: { meetingId: string; decisionId: string };
}): { head: ThresholdHead; after: ThresholdHead; writes: TransactItem[] } {
  const { workspaceId, context, itemId, now } = input;
  const { cycle, head } = context;
  requireEditable(cycle);
  if (!head) throw new NotFound('This item has no threshold in this cycle');
  let signOffs = head.signOffs;
  for (const signer of input.signers) {
    const refusal = signOffRefusal({ ...head, signOffs }, input.version, signer);
    if (refusal?.status === 403) throw new Forbidden(refusal.message);
    if (refusal) throw new Conflict(refusal.message, { current: head });
    const signOff: SignOff = {
      email: signer.email,
      name: signer.name,
      function: signer.function as SignOffFunction,
      at: now,
      ...(input.via ? { via: input.via } : {}),
    };
    signOffs = [...signOffs, signOff];
  }
  const agreedNow = isAgreed(signOffs);
  const after: ThresholdHead = {
    ...head,
    signOffs,
    agreed: agreedNow ? head.latest : head.agreed,
    agreedSignOffs: agreedNow ? signOffs : head.agreedSignOffs,
    updatedAt: now,
  };
  const writes: TransactItem[] = [
    {
      Put: {
        TableName: tableName(),
        Item: headItem(after),
        // The sign-off count guards against two managers of one function signing at once.
        ConditionExpression: 'version = :version AND size(signOffs) = :count',
        ExpressionAttributeValues: { ':version': head.version, ':count': head.signOffs.length },
      },
    },
    auditPut({
      workspaceId,
      actor: input.actor,
      action: agreedNow ? 'threshold.agreed' : 'threshold.signedOff',
      entity: 'threshold',
      entityId: `${itemId}#${cycle.id}`,
      before: { version: head.version, signOffs: head.signOffs },
      after: { version: head.version, signOffs, agreed: agreedNow, ...(input.via ? { via: input.via } : {}) },
      at: now,
    }),
  ];
  if (agreedNow) writes.push(...publishAgreed(workspaceId, context, after, now));
  return { head, after, writes };
}

/**
 * Signs off the latest version for the signer's function. With both sales
 * and operations signed, the version is agreed: it becomes what reps see on
 * the catalogue and what promise checks use, in the same transaction.
 */
export async function signOffThreshold(
  input: { workspaceId: string; cycleId: string; itemId: string; version: number },
  member: MemberView,
  actor: Caller,
  now: string,
): Promise<ThresholdHead> {
  const { workspaceId, itemId } = input;
  // The item and the published threshold are read too, for a sign-off that agrees the version.
  const context = await readThresholdContext(workspaceId, input.cycleId, itemId, { published: true });
  const { after, writes } = signOffWrites({
    workspaceId,
    context,
    itemId,
    version: input.version,
    signers: [{ email: actor.email, name: actor.name, function: member.function, role: member.role }],
    actor,
    now,
  });
  try {
    await transactWrite(writes);
  } catch (error) {
    if (error instanceof TransactionConditionFailed && error.index === 0) {
      const current = await getThresholdHead(workspaceId, itemId, context.cycle.id);
      throw new Conflict('The threshold changed while you signed; check the latest version and sign again', { current });
    }
    throw error;
  }
  return after;
}

/**
 * The writes of a meeting decision that records the sign-offs of a
 * threshold version by the sales and operations managers present: the same
 * rule and writes as the sign-off route (`signOffWrites`), with the decision
 * on each sign-off. `thresholdId` is the portfolio item; the threshold is the
 * one of the meeting's cycle. A signer whose function has already signed this
 * version is not asked again: the signature on record stands.
 */
export async function decisionSignOffWrites(input: {
  workspaceId: string;
  cycleId: string;
  itemId: string;
  version: number;
  signers: Signer[];
  meetingId: string;
  decisionId: string;
  actor: Pick<Caller, 'email' | 'name'>;
  now: string;
}): Promise<TransactItem[]> {
  const context = await readThresholdContext(input.workspaceId, input.cycleId, input.itemId, { published: true });
  const { head } = context;
  const signed = new Set<string>(head?.version === input.version ? head.signOffs.map((signOff) => signOff.function) : []);
  const signers = input.signers.filter((signer) => {
    if (signed.has(signer.function)) return false;
    signed.add(signer.function);
    return true;
  });
  const { writes } = signOffWrites({
    workspaceId: input.workspaceId,
    context,
    itemId: input.itemId,
    version: input.version,
    // Nothing left to sign: let the rule say why (already agreed).
    signers: signers.length > 0 ? signers : input.signers.slice(0, 1),
    actor: input.actor,
    now: input.now,
    via: { meetingId: input.meetingId, decisionId: input.decisionId },
  });
  return writes;
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
