import * as z from 'zod/mini';
import { expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { lazySchema } from '#contract/lazy-schema';
import { isIsoDate } from '#contract/working-days';
import { cycleStates } from './cycles';

export const isoDate = lazySchema(() =>
  z.string().check(z.maxLength(10, 'must be a date (YYYY-MM-DD)'), z.refine(isIsoDate, 'must be a date (YYYY-MM-DD)')),
);

export const createCycleBody = lazySchema(() =>
  z
    .strictObject({
      name: name(120),
      startDate: isoDate,
      endDate: isoDate,
      holidays: z._default(z.array(isoDate).check(z.maxLength(60, 'must hold at most 60 dates')), []),
      /** Start from this cycle's agreed thresholds, copied as proposals. */
      copyFrom: z.optional(id),
    })
    .check(z.refine((body) => body.endDate > body.startDate, { path: ['endDate'], message: 'must be after the start date' })),
);

export const cycleParams = lazySchema(() => z.extend(workspaceParams, { cycleId: id }));

export const changeCycleStateBody = lazySchema(() => z.strictObject({ to: z.enum(cycleStates), expectedVersion }));

export const listCyclesQuery = lazySchema(() => z.strictObject(pageQuery));
