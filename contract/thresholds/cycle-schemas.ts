import * as z from 'zod';
import { expectedVersion, id, name, pageQuery, workspaceParams } from '#contract/common';
import { isIsoDate } from '#contract/working-days';
import { cycleStates } from './cycles';

export const isoDate = z.string().max(10, 'must be a date (YYYY-MM-DD)').refine(isIsoDate, 'must be a date (YYYY-MM-DD)');

export const createCycleBody = z
  .strictObject({
    name: name(120),
    startDate: isoDate,
    endDate: isoDate,
    holidays: z.array(isoDate).max(60, 'must hold at most 60 dates').default([]),
    /** Start from this cycle's agreed thresholds, copied as proposals. */
    copyFrom: id.optional(),
  })
  .refine((body) => body.endDate > body.startDate, { path: ['endDate'], message: 'must be after the start date' });

export const cycleParams = workspaceParams.extend({ cycleId: id });

export const changeCycleStateBody = z.strictObject({ to: z.enum(cycleStates), expectedVersion });

export const listCyclesQuery = z.strictObject(pageQuery);
