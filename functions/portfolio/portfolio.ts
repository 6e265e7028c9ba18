/*
 * The portfolio's use cases, where the other areas and the scripts have
 * always found them: items in items.ts, the CSV import in csv-import.ts,
 * the records and their reads in entities.ts.
 */
export { importPortfolioItems } from './csv-import';
export {
  agreedOnItemUpdate,
  allPortfolioItems,
  codeKey,
  itemsGsiPk,
  listCatalogue,
  listPortfolioItems,
  type PortfolioFilter,
  portfolioItemKey,
  toPortfolioItem,
} from './entities';
export {
  createPortfolioItem,
  getCatalogueEntry,
  type NewPortfolioItem,
  type PortfolioChange,
  requirePortfolioItem,
  updatePortfolioItem,
} from './items';
