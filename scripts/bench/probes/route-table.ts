/**
 * Cold-init probe: the route table, which builds every area's zod schemas at
 * module load, with no handler, store or SDK code. Bundled once with zod
 * inside and once without (zod then imported first, outside the timing).
 */
export { routes } from '#contract/index';
