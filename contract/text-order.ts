/**
 * The order people read lists in: what `a.localeCompare(b)` gives (the
 * Unicode root collation: punctuation before digits before letters, case
 * second, lower case first), without its cost. The first `localeCompare` of
 * a process loads ICU's collation data, about 11 ms, which the first request
 * of every function that sorts names, codes or titles paid. Strings of
 * printable ASCII are compared here with the root collation's own ranks;
 * anything else still goes to `localeCompare`.
 */

/** Printable ASCII in root collation order; a letter's two cases share one place. */
const rootOrder = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$0123456789aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStTuUvVwWxXyYzZ`;

const primary = new Int16Array(128).fill(-1);
{
  let rank = 0;
  for (let index = 0; index < rootOrder.length; index++) {
    const code = rootOrder.charCodeAt(index);
    const isUpper = code >= 65 && code <= 90;
    if (!isUpper) rank++;
    primary[code] = rank;
  }
}

const isPrintableAscii = (text: string) => {
  for (let index = 0; index < text.length; index++) if ((primary[text.charCodeAt(index)] ?? -1) === -1) return false;
  return true;
};

/** -1, 0 or 1, as `a.localeCompare(b)`. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  if (!isPrintableAscii(a) || !isPrintableAscii(b)) return Math.sign(a.localeCompare(b));
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = (primary[a.charCodeAt(index)] ?? 0) - (primary[b.charCodeAt(index)] ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  // Equal but for case: the first letter whose case differs decides, lower case first.
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return x > y ? -1 : 1;
  }
  return 0;
}
