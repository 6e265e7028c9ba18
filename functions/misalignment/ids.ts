import { createHash, randomBytes } from 'node:crypto';

/**
 * The id of the "lead time" issue of one item in one cycle, derived from
 * them (a name-based UUID), so concurrent commitments land on the same issue
 * instead of creating two.
 */
export function leadTimeIssueId(workspaceId: string, itemId: string, cycleId: string): string {
  const bytes = createHash('sha1').update(`lead-time|${workspaceId}|${itemId}|${cycleId}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return uuidText(bytes);
}

/** A time-ordered UUID (version 7), so occurrences list in the order they were logged. */
export function timeOrderedId(at = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(at, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return uuidText(bytes);
}

function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
