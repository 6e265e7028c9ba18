import { describe, expect, it } from 'vitest';
import { percentile } from '#scripts/bench/scale-approval';

describe('the approval figure’s percentile', () => {
  it('takes the nearest rank: p95 of 20 values is the 19th smallest, whatever their order', () => {
    const values = Array.from({ length: 20 }, (_, index) => (index * 7) % 20).map((rank) => (rank + 1) * 100);
    expect(percentile(values, 0.95)).toBe(1900);
    expect(percentile(values, 0.5)).toBe(1000);
    expect(percentile(values, 1)).toBe(2000);
    expect(percentile([42], 0.95)).toBe(42);
    expect(percentile([], 0.95)).toBeNaN();
  });
});
