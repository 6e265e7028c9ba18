import * as z from 'zod/mini';
import { lazySchema } from '#contract/lazy-schema';
import type { AgreedThreshold } from '#contract/thresholds/thresholds';
import { publishedKey } from '#functions/portfolio/entities';
import { agreedThresholdShape } from '#functions/portfolio/threshold-shapes';
import { defineEntity } from '#functions/table/entity';
import { named, type TransactItem } from '#functions/table/transactions';

/**
 * What an item publishes once a version is agreed. `version` counts
 * publications, so a check-then-commit can tell the threshold moved under it;
 * `archived` follows the item, as the promise check reads only the item's
 * collection.
 */
const publicationShape = lazySchema(() =>
  z.object({
    workspaceId: z.string(),
    agreed: agreedThresholdShape,
    archived: z._default(z.boolean(), false),
    version: z._default(z.number(), 0),
  }),
);

export type Publication = z.output<typeof publicationShape>;

export const publicationEntity = defineEntity({
  type: 'AgreedThreshold',
  schema: publicationShape,
  keys: (publication) => publishedKey(publication.workspaceId, publication.agreed.itemId),
});

/**
 * Publishes `agreed` as what reps see; part `publishedThreshold` fails unless the
 * publication is still `before` as read (or, without one, absent).
 */
export function putPublication(
  workspaceId: string,
  agreed: AgreedThreshold,
  archived: boolean,
  before: { version: number } | undefined,
): TransactItem {
  const publication = { workspaceId, agreed, archived, version: (before?.version ?? 0) + 1 };
  return named(
    'publishedThreshold',
    publicationEntity.put(
      publication,
      before
        ? { condition: 'version = :published', values: { ':published': before.version } }
        : { condition: 'attribute_not_exists(pk)' },
    ),
  );
}
