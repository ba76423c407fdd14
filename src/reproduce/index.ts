/**
 * `carecast/reproduce`: reproductions of projections published in the
 * seed documents, kept apart from the library (nothing in carecast's core
 * imports them). Derbyshire's 2024 sufficiency statement projects its
 * placement types (fostering +35%, residential +148%, internal +9%,
 * private/voluntary +94%); these functions try every documented method on
 * every reading of the statement's inputs and report how close each comes.
 *
 * @example
 * ```ts
 * import { loadSeed } from 'carecast';
 * import { reproduceDerbyshirePlacementProjections, formatReproductionTable } from 'carecast/reproduce';
 *
 * const rep = reproduceDerbyshirePlacementProjections(loadSeed('derbyshire'));
 * console.log(formatReproductionTable(rep));
 * ```
 *
 * @module carecast/reproduce
 */
export * from './derbyshirePlacements.js';
