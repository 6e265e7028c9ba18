import { catalogueRoutes } from '#contract/catalogue/routes';
import { commitmentImpact } from '#functions/catalogue/decisions';
import { defineHandler } from '#functions/kernel/http';

export const handler = defineHandler(catalogueRoutes.getCommitmentImpact, async ({ params, now }) =>
  commitmentImpact(params, now),
);
