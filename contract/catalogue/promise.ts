import { promiseHorizonDays } from '#contract/limits';
import { compareText } from '#contract/text-order';
import type { AgreedThreshold, ThresholdTerms } from '#contract/thresholds/thresholds';
import {
  addDays,
  addWorkingDays,
  earliestDate,
  isWorkingDay,
  latestDate,
  weekOf,
  weeksFrom,
  workingDaysBetween,
} from '#contract/working-days';
import { promiseWarnings } from './warnings';

/**
 * The promise check: can we deliver N units of an item by a date? Answered
 * from the agreed threshold and the capacity already committed per week.
 * Pure functions; the store loads the threshold and the weekly buckets the
 * answer needs (see `evaluatePromise`) and hands them here.
 */
export const promiseBands = ['standard', 'flex', 'beyond'] as const;
export type PromiseBand = (typeof promiseBands)[number];

/** Capacity already committed, by week (the Monday that names it). */
export type CommittedByWeek = Readonly<Record<string, number>>;

/** How far ahead the check looks for a date that would work, and never past the promise horizon. */
const searchHorizonWorkingDays = 520;

const round = (value: number) => Math.round(value * 100) / 100;

export interface WindowCapacity {
  weeks: number;
  /** Normal capacity of the window before commitments. */
  normal: number;
  committed: number;
  /** Still free within normal capacity. */
  freeStandard: number;
  /** Still free within normal capacity plus the flex band. */
  freeFlex: number;
}

/** Free capacity of the weeks from the week of `from` to the week of `to`. */
export function windowCapacity(terms: ThresholdTerms, committed: CommittedByWeek, from: string, to: string): WindowCapacity {
  const weeks = to < from ? [] : weeksFrom(from, to);
  const flexLimit = terms.capacityPerWeek * (1 + terms.flexExtraCapacityPercent / 100);
  let used = 0;
  let freeStandard = 0;
  let freeFlex = 0;
  for (const week of weeks) {
    const taken = committed[week] ?? 0;
    used += taken;
    freeStandard += Math.max(0, terms.capacityPerWeek - taken);
    freeFlex += Math.max(0, flexLimit - taken);
  }
  return {
    weeks: weeks.length,
    normal: round(terms.capacityPerWeek * weeks.length),
    committed: round(used),
    freeStandard: round(freeStandard),
    freeFlex: round(freeFlex),
  };
}

export interface Classification {
  band: PromiseBand;
  /** Plain-language reasons, one per rule that pushed the answer out of standard. */
  reasons: string[];
  leadTimeShortened: boolean;
  /** Units above the free normal capacity, made with flex (overtime). */
  unitsOverCapacity: number;
}

/**
 * The band of a request: standard when both lead time and free normal
 * capacity suffice; flex when the flex band covers what normal does not;
 * beyond otherwise. The worse of the lead-time and capacity answers wins.
 */
export function classify(input: {
  terms: ThresholdTerms;
  quantity: number;
  workingDays: number;
  freeStandard: number;
  freeFlex: number;
}): Classification {
  const { terms, quantity, workingDays, freeStandard, freeFlex } = input;
  const reasons: string[] = [];
  if (!(quantity > 0)) {
    return { band: 'beyond', reasons: ['The quantity must be more than zero'], leadTimeShortened: false, unitsOverCapacity: 0 };
  }
  if (workingDays <= 0) {
    return {
      band: 'beyond',
      reasons: ['The delivery date must be a working day after today'],
      leadTimeShortened: false,
      unitsOverCapacity: 0,
    };
  }
  let band: PromiseBand = 'standard';
  const worsen = (to: PromiseBand) => {
    if (promiseBands.indexOf(to) > promiseBands.indexOf(band)) band = to;
  };
  if (quantity < terms.minimumOrderQuantity) {
    worsen('beyond');
    reasons.push(
      `Below the minimum order quantity of ${terms.minimumOrderQuantity}: order at least ${terms.minimumOrderQuantity}`,
    );
  }
  const leadTimeShortened = workingDays < terms.standardLeadTimeDays;
  if (workingDays < terms.flexLeadTimeDays) {
    worsen('beyond');
    reasons.push(`${workingDays} working days is shorter than the flex lead time of ${terms.flexLeadTimeDays}`);
  } else if (leadTimeShortened) {
    worsen('flex');
    reasons.push(`${workingDays} working days is shorter than the standard lead time of ${terms.standardLeadTimeDays}`);
  }
  const unitsOverCapacity = round(Math.max(0, quantity - freeStandard));
  if (quantity > freeFlex) {
    worsen('beyond');
    reasons.push(`${quantity} is more than the ${freeFlex} free with flex in the window`);
  } else if (quantity > freeStandard) {
    worsen('flex');
    reasons.push(`${quantity} is more than the ${freeStandard} free within normal capacity`);
  }
  return { band, reasons, leadTimeShortened, unitsOverCapacity };
}

export interface FlexCost {
  /** Expedite fee; null when the lead time is shortened but no order value was given. */
  expediteFee: number | null;
  expediteFeePercent: number;
  expediteApplies: boolean;
  overtime: number;
  overtimeUnits: number;
  setup: number;
  /** Sum of the known parts. */
  total: number;
  currency: string;
}

/** The extra cost of a flex answer, broken down by what causes it. */
export function flexCost(terms: ThresholdTerms, classification: Classification, orderValue: number | null): FlexCost {
  const expediteApplies = classification.leadTimeShortened;
  const expediteFee = !expediteApplies ? 0 : orderValue === null ? null : round((orderValue * terms.expediteFeePercent) / 100);
  const overtime = round(classification.unitsOverCapacity * terms.overtimeCostPerUnit);
  const setup = terms.setupCost;
  return {
    expediteFee,
    expediteFeePercent: terms.expediteFeePercent,
    expediteApplies,
    overtime,
    overtimeUnits: classification.unitsOverCapacity,
    setup,
    total: round((expediteFee ?? 0) + overtime + setup),
    currency: terms.currency,
  };
}

export interface Alternatives {
  /** Earliest delivery date for the same quantity that would be standard, or flex; null when none within the horizon. */
  earliestStandardDate: string | null;
  earliestFlexDate: string | null;
  /** Largest quantity by the requested date that would be standard, or flex (0 when none). */
  maxStandardQuantity: number;
  maxFlexQuantity: number;
}

/** The last working day the search for a date that would work looks at. */
export function searchHorizonEnd(today: string, holidays: readonly string[]): string {
  return earliestDate(addWorkingDays(today, searchHorizonWorkingDays, holidays), latestPromiseDate(today));
}

interface AlternativesInput {
  terms: ThresholdTerms;
  holidays: readonly string[];
  committed: CommittedByWeek;
  today: string;
  quantity: number;
  deliveryDate: string;
}

/**
 * The alternatives and the last date whose window the search looked at (null
 * when it did not search): the search stops at the earliest standard date, so
 * the capacity of later weeks cannot change its answer.
 */
function searchAlternatives(input: AlternativesInput): { alternatives: Alternatives; searchedThrough: string | null } {
  const { terms, holidays, committed, today, quantity, deliveryDate } = input;
  const workingDays = workingDaysBetween(today, deliveryDate, holidays);
  const window = windowCapacity(terms, committed, today, deliveryDate);
  const fitsOrder = (max: number) => (max >= terms.minimumOrderQuantity ? Math.floor(max * 100) / 100 : 0);
  const maxStandardQuantity = workingDays >= terms.standardLeadTimeDays && workingDays > 0 ? fitsOrder(window.freeStandard) : 0;
  const maxFlexQuantity = workingDays >= terms.flexLeadTimeDays && workingDays > 0 ? fitsOrder(window.freeFlex) : 0;

  let earliestStandardDate: string | null = null;
  let earliestFlexDate: string | null = null;
  let searchedThrough: string | null = null;
  if (quantity > 0 && quantity >= terms.minimumOrderQuantity) {
    // The window of each candidate date grows by whole weeks, so its free
    // capacity is kept as a running sum, in week order as `windowCapacity`
    // adds it, instead of summing the window afresh for every day.
    const holidaySet = new Set(holidays);
    const flexLimit = terms.capacityPerWeek * (1 + terms.flexExtraCapacityPercent / 100);
    let windowEnd = addDays(weekOf(today), -7);
    let freeStandard = 0;
    let freeFlex = 0;
    const firstFlex = Math.max(1, terms.flexLeadTimeDays);
    let date = addWorkingDays(today, firstFlex, holidays);
    // A date past the promise horizon could not be promised, so the search never suggests one.
    const latest = latestPromiseDate(today);
    for (let days = firstFlex; days <= searchHorizonWorkingDays && date <= latest && !earliestStandardDate; days += 1) {
      for (const last = weekOf(date); windowEnd < last; ) {
        windowEnd = addDays(windowEnd, 7);
        const taken = committed[windowEnd] ?? 0;
        freeStandard += Math.max(0, terms.capacityPerWeek - taken);
        freeFlex += Math.max(0, flexLimit - taken);
      }
      searchedThrough = date;
      if (!earliestFlexDate && quantity <= round(freeFlex)) earliestFlexDate = date;
      if (days >= terms.standardLeadTimeDays && quantity <= round(freeStandard)) earliestStandardDate = date;
      // Bounded: a run of days off is at most a weekend plus every holiday.
      date = addDays(date, 1);
      while (!isWorkingDay(date, holidaySet)) date = addDays(date, 1);
    }
  }
  return {
    alternatives: { earliestStandardDate, earliestFlexDate, maxStandardQuantity, maxFlexQuantity },
    searchedThrough,
  };
}

/** The nearest dates and quantities that would be standard or flex, for an answer that is not. */
export function alternatives(input: AlternativesInput): Alternatives {
  return searchAlternatives(input).alternatives;
}

export interface PromiseRequest {
  quantity: number;
  /** Requested delivery date; or give `leadTimeDays` instead. */
  deliveryDate?: string;
  /** Requested lead time in working days from today. */
  leadTimeDays?: number;
  orderValue?: number | null;
}

export interface PromiseAnswer {
  band: PromiseBand;
  reasons: string[];
  /** About the date, whatever the band: not a working day, outside the cycle, far ahead (see warnings.ts). */
  warnings: string[];
  itemId: string;
  itemCode: string;
  itemName: string;
  unit: string;
  /** The agreed threshold version the answer used. */
  threshold: { cycleId: string; cycleName: string; version: number; agreedAt: string; signedBy: string[] };
  quantity: number;
  today: string;
  deliveryDate: string;
  workingDays: number;
  standardLeadTimeDays: number;
  flexLeadTimeDays: number;
  window: WindowCapacity & { from: string; to: string };
  flex: (FlexCost & { approver: 'operations' }) | null;
  alternatives: Alternatives | null;
}

/** The delivery date a request asks for: given directly, or as working days of lead time from today. */
export function requestedDate(request: PromiseRequest, today: string, holidays: readonly string[]): string {
  if (request.deliveryDate) return request.deliveryDate;
  return addWorkingDays(today, request.leadTimeDays ?? 0, holidays);
}

/** An answer and how far ahead the committed capacity it was computed from matters. */
export interface PromiseEvaluation {
  answer: PromiseAnswer;
  /**
   * The last day whose week's committed capacity the answer depends on: the
   * delivery date, or the date where the search for alternatives stopped.
   * Capacity committed in later weeks cannot change the answer, so the store
   * reads the weeks up to this one and no further.
   */
  readThrough: string;
}

/** The last delivery date a check or a commitment made today may ask for (see `promiseHorizonDays`). */
export const latestPromiseDate = (today: string) => addDays(today, promiseHorizonDays);

/**
 * Why a requested delivery date is out of bounds, in words to follow the
 * field's name, or null when it is within them: not before today, and not
 * past the promise horizon.
 */
export function deliveryDateProblem(deliveryDate: string, today: string): string | null {
  if (deliveryDate < today) return 'must not be in the past';
  const latest = latestPromiseDate(today);
  if (deliveryDate > latest) {
    return `must be at most ${promiseHorizonDays} days (two years) from today, so ${latest} at the latest`;
  }
  return null;
}

/** Answers a promise check and says which weeks of committed capacity the answer used. */
export function evaluatePromise(
  threshold: AgreedThreshold,
  committed: CommittedByWeek,
  request: PromiseRequest,
  today: string,
): PromiseEvaluation {
  const { terms, holidays } = threshold;
  const deliveryDate = requestedDate(request, today, holidays);
  const workingDays = workingDaysBetween(today, deliveryDate, holidays);
  const window = windowCapacity(terms, committed, today, deliveryDate);
  const classification = classify({
    terms,
    quantity: request.quantity,
    workingDays,
    freeStandard: window.freeStandard,
    freeFlex: window.freeFlex,
  });
  const orderValue = request.orderValue ?? null;
  const search =
    classification.band === 'standard'
      ? null
      : searchAlternatives({ terms, holidays, committed, today, quantity: request.quantity, deliveryDate });
  const readThrough = latestDate(today, deliveryDate, search?.searchedThrough ?? today);
  const answer: PromiseAnswer = {
    band: classification.band,
    reasons: classification.reasons,
    warnings: promiseWarnings(threshold, deliveryDate, today),
    itemId: threshold.itemId,
    itemCode: threshold.itemCode,
    itemName: threshold.itemName,
    unit: threshold.unit,
    threshold: {
      cycleId: threshold.cycleId,
      cycleName: threshold.cycleName,
      version: threshold.version,
      agreedAt: threshold.agreedAt,
      signedBy: threshold.signOffs.map((signOff) => `${signOff.name} (${signOff.function})`),
    },
    quantity: request.quantity,
    today,
    deliveryDate,
    workingDays,
    standardLeadTimeDays: terms.standardLeadTimeDays,
    flexLeadTimeDays: terms.flexLeadTimeDays,
    window: { ...window, from: weekOf(today), to: weekOf(deliveryDate) },
    flex: classification.band === 'flex' ? { ...flexCost(terms, classification, orderValue), approver: 'operations' } : null,
    alternatives: search?.alternatives ?? null,
  };
  return { answer, readThrough };
}

/** Answers a promise check against an agreed threshold and the capacity committed so far. */
export function checkPromise(
  threshold: AgreedThreshold,
  committed: CommittedByWeek,
  request: PromiseRequest,
  today: string,
): PromiseAnswer {
  return evaluatePromise(threshold, committed, request, today).answer;
}

/**
 * Which weeks a commitment takes its capacity from: free normal capacity
 * from the delivery week backwards, then the flex band the same way, and any
 * rest (a beyond commitment) on the delivery week, so it shows as overload.
 */
export function allocate(
  terms: ThresholdTerms,
  committed: CommittedByWeek,
  today: string,
  deliveryDate: string,
  quantity: number,
): Array<{ week: string; quantity: number }> {
  const weeks = (deliveryDate < today ? [weekOf(deliveryDate)] : weeksFrom(today, deliveryDate)).reverse();
  const taken = new Map<string, number>();
  let left = quantity;
  const limits = [terms.capacityPerWeek, terms.capacityPerWeek * (1 + terms.flexExtraCapacityPercent / 100)];
  for (const limit of limits) {
    for (const week of weeks) {
      if (left <= 0) break;
      const used = (committed[week] ?? 0) + (taken.get(week) ?? 0);
      const room = Math.max(0, limit - used);
      const take = Math.min(room, left);
      if (take > 0) {
        taken.set(week, round((taken.get(week) ?? 0) + take));
        left = round(left - take);
      }
    }
  }
  const last = weeks[0];
  if (left > 0 && last) taken.set(last, round((taken.get(last) ?? 0) + left));
  return [...taken.entries()].map(([week, amount]) => ({ week, quantity: amount })).sort((a, b) => compareText(a.week, b.week));
}
