import * as z from 'zod/mini';
import { coercedNumber, id, list, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { costTypes } from '#contract/misalignment/misalignment';
import { isoDate } from '#contract/thresholds/cycle-schemas';
import { missReasons } from './deliveries';
import { keptScopes } from './kept-rate';

export const maxImportRows = 1000;
/** Largest CSV an import takes, in characters: 1,000 rows of about 200 characters. */
export const maxImportCsv = 200_000;

const quantity = lazySchema(() =>
  coercedNumber('must be a number').check(
    z.positive('must be more than zero'),
    z.maximum(10_000_000, 'must be at most 10000000'),
  ),
);

const amount = lazySchema(() =>
  coercedNumber('must be a number').check(z.minimum(0, 'must not be negative'), z.maximum(1_000_000_000)),
);

/** What a late or missed delivery cost, by type, when the record knows it; the rest stays empty. */
export const deliveryCost = lazySchema(() =>
  z.strictObject(
    Object.fromEntries(costTypes.map((type) => [type, z.optional(amount)])) as Record<
      (typeof costTypes)[number],
      z.ZodMiniOptional<typeof amount>
    >,
  ),
);

const note = lazySchema(() => z.string().check(z.trim(), z.maxLength(500, 'must be at most 500 characters')));

/** A delivery is either a quantity delivered or a miss with its reason, never both. */
const deliveryFields = {
  date: isoDate,
  quantity: lazySchema(() => z.optional(quantity)),
  missed: lazySchema(() => z.optional(z.boolean())),
  reason: lazySchema(() => z.optional(z.enum(missReasons))),
  note: lazySchema(() => z.optional(z.nullable(note))),
  cost: lazySchema(() => z.optional(deliveryCost)),
};

type DeliveryFields = { quantity?: number; missed?: boolean; reason?: string };

function oneOutcome<T extends DeliveryFields>() {
  return [
    z.refine<T>((delivery) => delivery.missed === true || delivery.quantity !== undefined, {
      path: ['quantity'],
      message: 'give the quantity delivered, or missed: true with a reason',
    }),
    z.refine<T>((delivery) => delivery.missed !== true || delivery.quantity === undefined, {
      path: ['quantity'],
      message: 'a missed delivery has no quantity',
    }),
    z.refine<T>((delivery) => delivery.missed !== true || delivery.reason !== undefined, {
      path: ['reason'],
      message: `give why it was missed: ${missReasons.join(', ')}`,
    }),
  ] as const;
}

export const recordDeliveryBody = lazySchema(() =>
  z.strictObject({ ...deliveryFields, allowOverDelivery: z.optional(z.boolean()) }).check(...oneOutcome()),
);

export const deliveryRef = lazySchema(() =>
  z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
);

/** One delivery from an ERP: matched to a commitment by its reference; `deliveryRef` makes a re-import add nothing twice. */
export const deliveryRow = lazySchema(() =>
  z
    .strictObject({
      reference: z
        .string()
        .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(120, 'must be at most 120 characters')),
      deliveryRef: z.optional(deliveryRef),
      ...deliveryFields,
    })
    .check(...oneOutcome()),
);
export type DeliveryRow = z.output<typeof deliveryRow>;

const loose = (max: number) => z.string().check(z.maxLength(max, `must be at most ${max} characters`));
const looseNumber = lazySchema(() => z.union([z.number(), loose(40)]));

/**
 * A row as an ERP sends it: the fields of a delivery, each only bounded here,
 * so a wrong value is reported for its row (and the others still apply)
 * rather than refusing the whole import; `deliveryRow` checks each.
 */
const sentRow = lazySchema(() =>
  z.strictObject({
    reference: z.optional(loose(400)),
    deliveryRef: z.optional(loose(400)),
    date: z.optional(loose(40)),
    quantity: z.optional(looseNumber),
    missed: z.optional(z.union([z.boolean(), loose(20)])),
    reason: z.optional(loose(100)),
    note: z.optional(z.nullable(loose(1000))),
    cost: z.optional(
      z.strictObject(
        Object.fromEntries(costTypes.map((type) => [type, z.optional(looseNumber)])) as Record<
          (typeof costTypes)[number],
          z.ZodMiniOptional<typeof looseNumber>
        >,
      ),
    ),
  }),
);

/** An import: a CSV file's text or a list of rows (an ERP calling the API), not both. */
export const importDeliveriesBody = lazySchema(() =>
  z
    .strictObject({
      csv: z.optional(z.string().check(z.maxLength(maxImportCsv, `must be at most ${maxImportCsv} characters`))),
      rows: z.optional(list(sentRow, maxImportRows)),
      allowOverDelivery: z.optional(z.boolean()),
    })
    .check(
      z.refine((body) => (body.csv === undefined) !== (body.rows === undefined), {
        path: ['csv'],
        message: 'give either the CSV text or the rows',
      }),
    ),
);

export const deliveryParams = lazySchema(() => z.extend(workspaceParams, { itemId: id, commitmentId: id }));

/** The kept rate of one scope over whole weeks, at most two years of them. */
export const keptRateQuery = lazySchema(() =>
  z.strictObject({
    scope: z._default(z.enum(keptScopes), 'workspace'),
    /** The item id, rep email, band or cycle id; the workspace scope needs none. */
    scopeId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(320, 'must be at most 320 characters'))),
    from: z.optional(isoDate),
    to: z.optional(isoDate),
  }),
);

/** Most weeks one kept-rate answer covers. */
export const maxKeptWeeks = 104;
