import type { AttainmentSignal } from '#contract/plan/attainment';
import { amount } from '#web/lib/format.ts';

/** An attainment as the screens write it: "140 %", or a dash when nothing was planned. */
export const percent = (value: number | null) => (value === null ? '—' : `${value.toLocaleString('en-GB')} %`);

/** One sentence for a signalled item. */
export const signalText = (signal: AttainmentSignal) =>
  `${signal.code} (${signal.family}): ${amount(signal.committed)} committed of ${amount(signal.plan)} planned, ` +
  `${percent(signal.attainmentPercent)}, while the family's other items are at ${percent(signal.othersPercent)} ` +
  `(${amount(signal.othersCommitted)} of ${amount(signal.othersPlan)})`;
