/*
 * Where other areas have read cycles by key from. The cycle's record now
 * lives in entities-cycles.ts, which imports no use case, so this module no
 * longer breaks an import circle; it stays until its importers move.
 */
export { cycleKey, toCycle } from './entities-cycles';
