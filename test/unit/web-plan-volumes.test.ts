import { describe, expect, it } from 'vitest';
import { cellKey, parseVolume } from '#web/screens/plan/volumes.ts';

describe('a volume typed in the plan grid', () => {
  it('reads empty as 0, a decimal comma as a point, and surrounding spaces away', () => {
    expect(parseVolume('')).toBe(0);
    expect(parseVolume('   ')).toBe(0);
    expect(parseVolume('12,5')).toBe(12.5);
    expect(parseVolume(' 450 ')).toBe(450);
  });

  it('is no volume when negative or not a number', () => {
    expect(parseVolume('-1')).toBeNull();
    expect(parseVolume('abc')).toBeNull();
    expect(parseVolume('1,2,3')).toBeNull();
    expect(parseVolume('Infinity')).toBeNull();
  });

  it('keys a cell by item and period', () => {
    expect(cellKey('item-1', '2027-01')).not.toBe(cellKey('item-1', '2027-02'));
    expect(cellKey('item-1', '2027-01')).toBe(cellKey('item-1', '2027-01'));
  });
});
