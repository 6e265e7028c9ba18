import type { CommitmentView } from './commitments';
import { type PromiseAnswer, type PromiseBand, promiseBands } from './promise';

/**
 * An order: several lines, each an item, a quantity and a date, checked and
 * recorded together. Recording writes every line's commitment in one
 * transaction (at most 100 writes: per line its commitment and the weeks it
 * takes, an approval marker when it waits, per item its threshold check, and
 * the order's audit event), so an order holds at most this many lines, and
 * fewer when its lines take capacity from many weeks each.
 */
export const maxOrderLines = 20;
export const maxTransactionWrites = 100;

export interface OrderLineAnswer {
  /** 1-based, as the rep numbers the lines. */
  line: number;
  answer: PromiseAnswer;
  /** The line's date when it is standard or flex; otherwise the earliest date that would be; null when none. */
  feasibleDate: string | null;
}

export interface OrderAnswer {
  /** The worst band of any line. */
  band: PromiseBand;
  lines: OrderLineAnswer[];
  /** The latest of the lines' feasible dates: when the whole order can be delivered; null when a line cannot be. */
  latestFeasibleDate: string | null;
  /** The extra cost of the flex lines, per currency. */
  flexCost: Array<{ currency: string; total: number }>;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** The feasible date of one line's answer (see {@link OrderLineAnswer.feasibleDate}). */
export function feasibleDate(answer: PromiseAnswer): string | null {
  if (answer.band !== 'beyond') return answer.deliveryDate;
  return answer.alternatives?.earliestFlexDate ?? answer.alternatives?.earliestStandardDate ?? null;
}

/** The order's answer from its lines' answers, in line order. */
export function orderAnswer(answers: PromiseAnswer[]): OrderAnswer {
  const lines = answers.map((answer, index) => ({ line: index + 1, answer, feasibleDate: feasibleDate(answer) }));
  const band = promiseBands[Math.max(0, ...answers.map((answer) => promiseBands.indexOf(answer.band)))] ?? 'standard';
  const dates = lines.map((line) => line.feasibleDate);
  const latestFeasibleDate = dates.some((date) => date === null)
    ? null
    : dates.reduce<string | null>((latest, date) => (latest === null || (date ?? '') > latest ? date : latest), null);
  const costs = new Map<string, number>();
  for (const answer of answers) {
    if (answer.flex) costs.set(answer.flex.currency, round((costs.get(answer.flex.currency) ?? 0) + answer.flex.total));
  }
  return { band, lines, latestFeasibleDate, flexCost: [...costs].map(([currency, total]) => ({ currency, total })) };
}

export interface RecordedOrder {
  reference: string;
  commitments: CommitmentView[];
  order: OrderAnswer;
}
