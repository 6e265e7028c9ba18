/**
 * The volume a typed text stands for: empty is 0, a decimal comma reads as a point; null when it is no volume.
 * The upper bound is left to the save's refusal, so this screen does not load the schemas.
 */
export function parseVolume(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return 0;
  const volume = Number(trimmed);
  return Number.isFinite(volume) && volume >= 0 ? volume : null;
}

/** The key of a cell in the edits a screen keeps. */
export const cellKey = (itemId: string, period: string) => `${itemId}|${period}`;
