/* Where other areas have found the portfolio's keys; they are defined with its records in entities.ts. */
export { codeKey, itemsGsiPk, portfolioItemKey } from './entities';
