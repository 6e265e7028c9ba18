/**
 * What an id or email in a write's input names. Every write route declares
 * its reference fields with these kinds (`references` in its route
 * definition), and the store checks each inside the write.
 *
 * - `threshold`: a portfolio item's threshold, named by the item id.
 * - `member`: a person by email, who must be a member of the workspace.
 */
export const referenceKinds = ['portfolioItem', 'cycle', 'issue', 'meeting', 'agendaEntry', 'threshold', 'member'] as const;
export type ReferenceKind = (typeof referenceKinds)[number];

/**
 * A field that looks like a reference but is not one, with the reason: a
 * person being invited, or the id a backup was exported from.
 */
export interface NotAReference {
  notAReference: string;
}

export type ReferenceDeclaration = ReferenceKind | NotAReference;
