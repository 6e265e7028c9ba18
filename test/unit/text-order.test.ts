import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from '#contract/text-order';

const sign = (value: number) => Math.sign(value);
const printable = fc.string({ unit: fc.integer({ min: 32, max: 126 }).map((code) => String.fromCharCode(code)), maxLength: 12 });
// Few characters, so strings often share prefixes or differ only in case.
const narrow = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', '-', ' ', '1', '_', 'é'), maxLength: 6 });

describe('the order people read lists in', () => {
  it('orders every pair of printable ASCII characters as localeCompare does', () => {
    const differing: string[] = [];
    for (let x = 32; x < 127; x++)
      for (let y = 32; y < 127; y++) {
        const a = String.fromCharCode(x);
        const b = String.fromCharCode(y);
        if (compareText(a, b) !== sign(a.localeCompare(b))) differing.push(`${a} ${b}`);
      }
    expect(differing).toEqual([]);
  });

  it('orders any two strings as localeCompare does', () => {
    for (const strings of [printable, narrow, fc.string({ maxLength: 8 })])
      fc.assert(
        fc.property(strings, strings, (a, b) => {
          expect(compareText(a, b)).toBe(sign(a.localeCompare(b)));
        }),
        { numRuns: 3000 },
      );
  });

  it('sorts item codes, names and titles as people expect', () => {
    const sorted = ['Widget b', 'widget B', 'SKU-10', 'sku-2', 'Ärger', 'apple', 'Apple', '2 pack'].sort(compareText);
    expect(sorted).toEqual([...sorted].sort((a, b) => a.localeCompare(b)));
    expect(sorted.slice(0, 3)).toEqual(['2 pack', 'apple', 'Apple']);
  });
});
