/** Shared test helper: run a function that must throw a CarecastInputError, and return the error. */
import { expect } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';

/**
 * Call `fn`, expect it to throw a {@link CarecastInputError}, and return that error
 * so the test can check its problems (source, row, field, message).
 */
export function errorOf(fn: () => unknown): CarecastInputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CarecastInputError);
    return e as CarecastInputError;
  }
  throw new Error('expected a CarecastInputError');
}
