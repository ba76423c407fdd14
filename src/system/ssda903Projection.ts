/**
 * SSDA903 files to a whole-system projection, in one call: the files read,
 * checked and cleaned, their data-quality report, and the episode model's
 * system projection ({@link episodeSystemProjection}: children simulated one
 * by one) with the same defaults as `carecast project --ssda903` and
 * `costs --ssda903` ({@link episodeRunOptions}), so the page and the CLI
 * give the same numbers for the same files, paths and seed. The result is
 * plain data (objects, arrays, numbers, strings, `Float64Array`s; no class,
 * no function), so it can cross from a Web Worker to the page unchanged: the
 * same call runs in this thread here and in a worker in `ssda903Worker.ts`,
 * with the same numbers.
 *
 * @module
 */
import { deriveAnnualDataset } from '../data/episodes.js';
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { EpisodeFix, Ssda903Options } from '../data/loaders/ssda903.js';
import { readSsda903Files, type Ssda903FileInput } from '../data/loaders/ssda903Files.js';
import { ssda903QualityReport, type Ssda903QualityReport } from '../data/ssda903Quality.js';
import { datasetSystemInput } from './datasetInput.js';
import { episodeRunOptions, type EpisodeRunChoices } from './episodeDefaults.js';
import { episodeSystemProjection } from './episodeProjection.js';
import type { SystemInput } from './input.js';
import type { EpisodeSystemProjection } from './projectSystem.js';

/** The episode projection's choices a worker can be sent (plain data): `to`, `until`, `paths`, `seed`, `levels`, `splitUasc`, `placementProvider`; every default the CLI's. */
export type Ssda903SystemOptions = EpisodeRunChoices;

/** A stage of {@link projectSsda903Files}, reported as it starts. */
export type Ssda903Stage = 'reading' | 'projecting';

/** Options of {@link projectSsda903Files}. */
export interface Ssda903ProjectionOptions {
  /** How the files are read (`lenient`, `area`, `openNotInLaterReturn`, `today`). */
  readonly read?: Ssda903Options;
  /**
   * How the system is projected (`to`, `until`, `paths`, `seed`, `levels`,
   * `splitUasc`, `placementProvider`); every default is the CLI's
   * ({@link episodeRunOptions}: fitted to the last 31 March of the returns,
   * to ten years after it, 2000 paths, seed 1, 80% and 95% bands).
   */
  readonly system?: Ssda903SystemOptions;
  /** Called as each stage starts (in this thread), e.g. to show a status line. */
  readonly onProgress?: (stage: Ssda903Stage) => void;
}

/** What {@link projectSsda903Files} gives: plain data, the same in a worker and in this thread. */
export interface Ssda903Projection {
  /** The data-quality report of the files (every repair with plain examples, every row left out). */
  readonly quality: Ssda903QualityReport;
  /**
   * The observed series: with a projection, as the episode model counts them
   * (`system.episodes.observed`: children in care at each 31 March, by
   * placement, provider, age and UASC group; periods of care started and
   * ended); without one, the annual series derived from the episodes
   * (`deriveAnnualDataset`), so that children in care can still be shown.
   */
  readonly input: SystemInput;
  /**
   * The episode model's whole-system projection (`engine: 'episodes'`), or
   * `null` when it cannot be made from these data (see `problems`). All of it
   * is plain data and crosses from a worker as it is, `episodes.models` (the
   * fitted multi-state models: arrays of numbers and strings) included; the
   * paths are `Float64Array`s, transferred.
   */
  readonly system: EpisodeSystemProjection | null;
  /** Why `system` is `null` (the problems the episode model raised); empty otherwise. */
  readonly problems: readonly InputProblem[];
  /** Where it ran: `'worker'` (a Web Worker or a worker thread) or `'thread'` (the calling thread). */
  readonly ranIn: 'worker' | 'thread';
  /** How long reading (with the quality report) and projecting took, in ms where it ran. */
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
 * and project the whole care system from them with the episode model, in
 * this thread: the files read, checked and cleaned
 * ({@link "carecast/data"!readSsda903Files}), the data-quality report, and
 * {@link episodeSystemProjection} with {@link episodeRunOptions}'s defaults,
 * exactly as `carecast project --ssda903 DIR` makes it from the same files
 * (same `to`, `until`, `paths`, `seed`: same paths, bit for bit). In a page,
 * {@link projectSsda903FilesInWorker} runs the same call in a Web Worker,
 * with the same numbers.
 *
 * A projection the episode model cannot make from these data (no header
 * files, no whole year to 31 March, `to` not after the fit window) is
 * `system: null` with its `problems`; bad files throw.
 *
 * @param files - `File` objects, or `{ name, content }` with text, bytes or a `Blob`
 * @param options - how to read, what to project, progress
 * @returns the quality report, the observed series and the projection, as plain data
 * @throws CarecastInputError when no file is an episodes file or a row is bad (unless `read.lenient`)
 * @example
 * ```ts
 * const r = await projectSsda903Files([...input.files], { read: { lenient: true }, system: { paths: 2000, seed: 1 } });
 * r.quality.totalRepairs;                            // repairs made to the files
 * r.system?.breakdowns.placement.byGroup.fostering;  // fostering, with 80% and 95% bands (path medians)
 * ```
 */
export async function projectSsda903Files(files: readonly Ssda903FileInput[], options: Ssda903ProjectionOptions = {}): Promise<Ssda903Projection> {
  const t0 = now();
  options.onProgress?.('reading');
  const data = await readSsda903Files(files, options.read ?? {});
  const q = ssda903QualityReport(data);
  const quality: Ssda903QualityReport = { ...q, repairs: q.repairs.map((r) => ({ ...r, examples: r.examples.map(plainFix) })), rowsLeftOut: [...q.rowsLeftOut], notes: [...q.notes] };
  let projectionOptions: ReturnType<typeof episodeRunOptions> | undefined;
  let problems: readonly InputProblem[] = [];
  try {
    projectionOptions = episodeRunOptions(data, options.system ?? {});
  } catch (e) {
    if (!(e instanceof CarecastInputError)) throw e;
    problems = e.problems;
  }
  const t1 = now();
  options.onProgress?.('projecting');
  let system: EpisodeSystemProjection | null = null;
  if (projectionOptions) {
    try {
      system = episodeSystemProjection(data, projectionOptions);
    } catch (e) {
      if (!(e instanceof CarecastInputError)) throw e;
      problems = e.problems;
    }
  }
  const input = system ? system.episodes.observed : datasetSystemInput(deriveAnnualDataset(data).dataset, ['placement', 'provider']);
  return { quality, input, system, problems, ranIn: 'thread', timings: { readMs: t1 - t0, projectMs: now() - t1 } };
}
