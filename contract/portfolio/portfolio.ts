/** What the company sells: products counted in units, services in hours. */
export const portfolioKinds = ['product', 'service'] as const;
export type PortfolioKind = (typeof portfolioKinds)[number];

export interface PortfolioItem {
  id: string;
  workspaceId: string;
  code: string;
  name: string;
  kind: PortfolioKind;
  /** Unit of measure, e.g. "unit", "pallet", "hour". */
  unit: string;
  description: string;
  /** Email of the member who owns the item. */
  owner: string | null;
  /** The product family it belongs to, for views that total by family; empty when none. */
  family: string;
  /** Price per unit in the workspace currency; null when not set. */
  listPrice: number | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Codes compare without case or surrounding spaces, so "ab-1" and "AB-1 " are one item. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/** The lowercase text a portfolio search matches against. */
export function searchText(item: Pick<PortfolioItem, 'code' | 'name'>): string {
  return `${item.code} ${item.name}`.toLowerCase();
}
