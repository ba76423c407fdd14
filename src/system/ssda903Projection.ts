/**
 * SSDA903 files to a whole-system projection, in one call: the files read,
 * checked and cleaned, their data-quality report, the annual series derived
 * from the episodes, and the system model projected from them. The result
 * is plain data (no class, no `Map`, arrays of numbers as `Float64Array`),
 * so it can cross from a Web Worker to the page unchanged: the same call
 * runs in this thread here and in a worker in `ssda903Worker.ts`, with the
 * same numbers.
 *
 * @module
 */
import { deriveAnnualDataset } from '../data/episodes.js';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { EpisodeFix, Ssda903Options } from '../data/loaders/ssda903.js';
import { readSsda903Files, type Ssda903FileInput } from '../data/loaders/ssda903Files.js';
import { ssda903QualityReport, type Ssda903QualityReport } from '../data/ssda903Quality.js';
import { datasetSystemInput } from './datasetInput.js';
import type { SystemInput } from './input.js';
import { projectSystem, type SystemOptions, type SystemProjection } from './projectSystem.js';

/** The options of `projectSystem` that are plain data (what a worker can be sent). */
export type Ssda903SystemOptions = Pick<SystemOptions, 'to' | 'horizon' | 'levels' | 'paths' | 'seed' | 'origin'>;

/** A stage of {@link projectSsda903Files}, reported as it starts. */
export type Ssda903Stage = 'reading' | 'deriving' | 'projecting';

/** Options of {@link projectSsda903Files}. */
export interface Ssda903ProjectionOptions {
  /** How the files are read (`lenient`, `area`, `openNotInLaterReturn`, `today`). */
  readonly read?: Ssda903Options;
  /** How the system is projected (`to` or `horizon`, `paths`, `seed`, `levels`, `origin`); default `projectSystem`'s, with `horizon: 5`. */
  readonly system?: Ssda903SystemOptions;
  /** The breakdowns of children in care projected (default: every one the episodes give: placement, placementType, provider, age, uasc). */
  readonly breakdowns?: readonly string[];
  /** Called as each stage starts (in this thread), e.g. to show a status line. */
  readonly onProgress?: (stage: Ssda903Stage) => void;
}

/** What {@link projectSsda903Files} gives: plain data, the same in a worker and in this thread. */
export interface Ssda903Projection {
  /** The data-quality report of the files (every repair with plain examples, every row left out). */
  readonly quality: Ssda903QualityReport;
  /** The annual series derived from the episodes, as the system model's input. */
  readonly input: SystemInput;
  /** The whole-system projection, or `null` when the system model cannot be fitted to these data (see `problems`). */
  readonly system: SystemProjection | null;
  /** Why `system` is `null` (the problems `projectSystem` raised); empty otherwise. */
  readonly problems: readonly InputProblem[];
  /** Where it ran: `'worker'` (a Web Worker or a worker thread) or `'thread'` (the calling thread). */
  readonly ranIn: 'worker' | 'thread';
  /** How long reading (with the quality report and the derived series) and projecting took, in ms where it ran. */
  readonly timings: { readonly readMs: number; readonly projectMs: number };
}

/** A repair's example as plain data (the loader's are lazy objects that format their message when asked). */
function plainFix(f: EpisodeFix): EpisodeFix {
  const { kind, child, decom, source, row, other, message } = f;
  return other === undefined ? { kind, child, decom, source, row, message } : { kind, child, decom, source, row, other: { source: other.source, row: other.row }, message };
}

/** The clock, where there is one (`performance.now`); only the timings read it. */
const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Read SSDA903 files (episodes, header and UASC files of one or more years)
 * and project the whole care system from them, in this thread: the files
 * read, checked and cleaned ({@link "carecast/data"!readSsda903Files}), the
 * data-quality report, the annual series derived from the episodes
 * (`deriveAnnualDataset`, read by {@link datasetSystemInput}), and
 * `projectSystem` on them. In a page, {@link projectSsda903FilesInWorker}
 * runs the same call in a Web Worker, with the same numbers.
 *
 * A projection the system model cannot make from these data (e.g. a year
 * with no starters) is `system: null` with its `problems`; bad files throw.
 *
 * @param files - `File` objects, or `{ name, content }` with text, bytes or a `Blob`
 * @param options - how to read, what to project, progress
 * @returns the quality report, the derived input and the projection, as plain data
 * @throws CarecastInputError when no file is an episodes file or a row is bad (unless `read.lenient`)
 * @example
 * ```ts
 * const r = await projectSsda903Files([...input.files], { read: { lenient: true }, system: { to: 2030, paths: 2000, seed: 1 }, breakdowns: ['placement', 'provider'] });
 * r.quality.totalRepairs;                            // repairs made to the files
 * r.system?.breakdowns.placement.byGroup.fostering;  // fostering, with 80% and 95% bands
 * ```
 */
export async function projectSsda903Files(files: readonly Ssda903FileInput[], options: Ssda903ProjectionOptions = {}): Promise<Ssda903Projection> {
  const t0 = now();
  options.onProgress?.('reading');
  const data = await readSsda903Files(files, options.read ?? {});
  const q = ssda903QualityReport(data);
  const quality: Ssda903QualityReport = { ...q, repairs: q.repairs.map((r) => ({ ...r, examples: r.examples.map(plainFix) })), rowsLeftOut: [...q.rowsLeftOut], notes: [...q.notes] };
  options.onProgress?.('deriving');
  const { dataset } = deriveAnnualDataset(data);
  const input = datasetSystemInput(dataset, options.breakdowns);
  const t1 = now();
  options.onProgress?.('projecting');
  let system: SystemProjection | null = null;
  let problems: readonly InputProblem[] = [];
  try {
    const o = options.system ?? {};
    system = projectSystem(input, o.to === undefined && o.horizon === undefined ? { ...o, horizon: 5 } : o);
  } catch (e) {
    if (!(e instanceof CarecastInputError)) throw e;
    problems = e.problems;
  }
  return { quality, input, system, problems, ranIn: 'thread', timings: { readMs: t1 - t0, projectMs: now() - t1 } };
}
