import { workspacePk } from '#functions/table/keys';

/**
 * Portfolio items live in the workspace partition under `ITEM#<id>`, indexed
 * by code on gsi1 (`WS#<ws>#ITEMS`) so lists page in code order. A
 * `CODE#<code>` marker item makes codes unique per workspace: it is put in
 * the same transaction, conditional on not existing. The item also carries a
 * copy of its agreed threshold (`agreed`), so the catalogue is one Query.
 */
export const portfolioItemKey = (workspaceId: string, itemId: string) => ({ pk: workspacePk(workspaceId), sk: `ITEM#${itemId}` });
export const codeKey = (workspaceId: string, code: string) => ({ pk: workspacePk(workspaceId), sk: `CODE#${code}` });
export const itemsGsiPk = (workspaceId: string) => `${workspacePk(workspaceId)}#ITEMS`;
