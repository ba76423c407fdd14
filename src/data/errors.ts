/**
 * The one error type carecast throws for bad input.
 *
 * @module
 */

/**
 * Where in the input a problem was found.
 *
 * @example
 * ```ts
 * try {
 *   readTidyCsv(text, 'my-la.csv');
 * } catch (e) {
 *   if (e instanceof CarecastInputError) for (const p of e.problems) console.log(p.source, p.row, p.field, p.message, p.fix);
 * }
 * ```
 */
export interface InputProblem {
  /** The file name, or a label such as `'argument'` for in-memory data. */
  readonly source: string;
  /** 1-based line (row) of the source, counting the header as line 1, when known. */
  readonly row?: number;
  /** The field (column) name, when known. */
  readonly field?: string;
  /** What was wrong, with the value found. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
}

/** Format one problem as a single line: `file:row [field] message. Fix: ...`. */
function formatProblem(p: InputProblem): string {
  const where = `${p.source}${p.row !== undefined ? `:${p.row}` : ''}${p.field ? ` [${p.field}]` : ''}`;
  return `${where}: ${p.message}${p.fix ? `. Fix: ${p.fix}` : ''}`;
}

/**
 * Bad input: thrown at the boundary (loaders, schema parsing, option checks)
 * before anything is computed or written. Lists every problem found, each
 * naming the source, row and field, what was found and how to fix it.
 *
 * @example
 * ```ts
 * try { loadTidyCsv('my.csv'); } catch (e) {
 *   if (e instanceof CarecastInputError) for (const p of e.problems) console.error(p.row, p.field, p.message);
 * }
 * ```
 */
export class CarecastInputError extends Error {
  /** Every problem found (at least one). */
  readonly problems: readonly InputProblem[];

  /**
   * Create the error from the problems found; the message lists them (the
   * first 20), one per line.
   *
   * @param problems - the problems found (at least one)
   */
  constructor(problems: readonly InputProblem[]) {
    const list = problems.length > 0 ? problems : [{ source: 'input', message: 'invalid input' }];
    const head = list.slice(0, 20).map(formatProblem);
    const more = list.length > 20 ? [`... and ${list.length - 20} more problems`] : [];
    super(list.length === 1 ? head[0] : `${list.length} problems in input:\n  ${[...head, ...more].join('\n  ')}`);
    this.name = 'CarecastInputError';
    this.problems = list;
  }
}
