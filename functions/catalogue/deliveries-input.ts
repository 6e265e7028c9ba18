import type { Delivery, MissReason } from '#contract/catalogue/deliveries';
import type { CostBreakdown } from '#contract/misalignment/misalignment';

/** A delivery as the schemas accept it (validated: a quantity, or missed with a reason). */
export interface DeliveryFields {
  date: string;
  quantity?: number;
  missed?: boolean;
  reason?: MissReason;
  note?: string | null;
  cost?: Partial<CostBreakdown>;
}

/** The delivery a validated body or row describes; the cost only when it carries one. */
export function deliveryOf(fields: DeliveryFields): Delivery {
  const cost = fields.cost && Object.values(fields.cost).some((value) => value !== undefined) ? { cost: fields.cost } : {};
  if (fields.missed === true) {
    return { kind: 'missed', date: fields.date, reason: fields.reason ?? 'other', note: fields.note ?? null, ...cost };
  }
  return { kind: 'delivered', date: fields.date, quantity: fields.quantity ?? 0, ...cost };
}
