/**
 * The episode model's system projection for a command's `--ssda903`
 * folder: the one place where `project` and `costs` make it, so the same
 * folder, years, paths and seed give the same paths through both.
 *
 * @module
 */
import { dayToIso, marchEnd } from '../data/calendar.js';
import type { Ssda903Data } from '../data/loaders/ssda903.js';
import type { AnnualSeries } from '../data/schemas.js';
import { EPISODE_RUN_DEFAULTS, episodeRunOptions, fitYears } from '../system/episodeDefaults.js';
import { episodeSystemProjection } from '../system/episodeProjection.js';
import type { EpisodeSystemProjection } from '../system/projectSystem.js';
import { intOption, loadSource, optionError, pathsOption, seedOption, toOption, type SourceOptions } from './common.js';
import { qualityOutput, type QualityOutput } from './dataQuality.js';
import type { Progress } from './progress.js';

/** The options the episode system run reads, besides the source. */
export interface EpisodeRunOptions extends SourceOptions {
  /** Last year to project (default: the start + 10). */
  readonly to?: string;
  /** The fit window ends on 31 March of this year (default: the last 31 March of the data). */
  readonly until?: string;
  /** Simulated paths (default 2000). */
  readonly paths?: string;
  /** Random seed (default 1). */
  readonly randomSeed?: string;
  /** Split by UASC status (needs the UASC files). */
  readonly splitUasc?: boolean;
}

/** What {@link episodeRun} gives. */
export interface EpisodeRun {
  /** The projection. */
  readonly sp: EpisodeSystemProjection;
  /** The cleaned returns. */
  readonly data: Ssda903Data;
  /** File-name label. */
  readonly label: string;
  /** The data-quality report, its text and CSV file. */
  readonly quality: QualityOutput;
  /** Where the input came from, in words. */
  readonly note: string;
  /** The children-in-care series derived from the episodes (for provenance). */
  readonly stock: AnnualSeries | undefined;
  /** Paths and random seed used. */
  readonly paths: number;
  /** Random seed used. */
  readonly seed: number;
}

/**
 * Check `--split-uasc`: only with `--ssda903`.
 *
 * @param o - the options
 * @throws CarecastInputError when `--split-uasc` is given without `--ssda903`
 */
export function checkSplitUasc(o: { readonly splitUasc?: boolean; readonly ssda903?: string }): void {
  if (o.splitUasc && o.ssda903 === undefined) {
    throw optionError('--split-uasc', 'the UASC split needs child-level returns: it works with --ssda903 only', 'give --ssda903 DIR with the uasc CSVs, or drop --split-uasc');
  }
}

/**
 * The episode model's system projection of an `--ssda903` folder, with
 * the command's target year, fit window end, paths and seed: the returns
 * loaded and cleaned as `loadSource` does, then
 * {@link episodeSystemProjection}.
 *
 * @param o - the source and run options
 * @param levels - band levels
 * @param extra - the placement × provider breakdown (costs by both), a target year overriding `--to`, a progress bar for the simulation
 * @returns the projection, the returns, the label, the data-quality report
 * @throws CarecastInputError for bad options or data, `--until` outside the data, `--split-uasc` without UASC children
 */
export function episodeRun(o: EpisodeRunOptions, levels: readonly number[], extra: { readonly placementProvider?: boolean; readonly toYear?: number; readonly progress?: Progress } = {}): EpisodeRun {
  const paths = o.paths !== undefined ? pathsOption(o.paths) : undefined;
  const seed = o.randomSeed !== undefined ? seedOption(o.randomSeed, '--random-seed') : undefined;
  const until = intOption('until', o.until);
  const { dataset, label, ssda903 } = loadSource(o, extra.progress);
  const data = ssda903 as Ssda903Data;
  if (data.children.size === 0) {
    throw optionError(
      '--ssda903',
      `the returns in ${o.ssda903} have no header files, so no dates of birth: the episode model (the system projection of SSDA903 returns) needs them to age the children`,
      'add the header CSV of each return, or project one series derived from the episodes with --method (e.g. --method evidence)',
    );
  }
  const { first: firstMarch, last: lastMarch } = fitYears(data);
  if (until !== undefined && (until < firstMarch || until > lastMarch)) {
    throw optionError(
      '--until',
      `the fit window must end on a 31 March within the returns (${dayToIso(data.dataStart)} to ${dayToIso(data.dataEnd)}), got 31 March ${until}`,
      `give a year from ${firstMarch} to ${lastMarch}`,
    );
  }
  const end = until ?? lastMarch;
  if (end < firstMarch) throw optionError('--ssda903', `the returns (${dayToIso(data.dataStart)} to ${dayToIso(data.dataEnd)}) hold no whole year to 31 March to fit the model on`, 'give returns covering at least one year to 31 March');
  if (o.splitUasc && ![...data.children.values()].some((c) => c.uasc)) {
    throw optionError('--split-uasc', `no child in the returns in ${o.ssda903} is in a UASC file, so UASC children cannot be modelled apart`, 'add the uasc CSV of each return to the folder, or drop --split-uasc');
  }
  // the defaults (and checks) shared with projectSsda903Files: the command's own checks above word its errors with its options
  const progress = extra.progress;
  const sp = episodeSystemProjection(data, {
    ...episodeRunOptions(data, { ...(extra.toYear !== undefined || o.to !== undefined ? { to: extra.toYear ?? toOption(o.to, end) } : {}), until: end, levels, ...(paths !== undefined ? { paths } : {}), ...(seed !== undefined ? { seed } : {}), ...(o.splitUasc ? { splitUasc: true } : {}), ...(extra.placementProvider ? { placementProvider: true } : {}) }),
    ...(progress ? { onProgress: (done: number, total: number) => progress.update(done, total, 'simulating children', 'items') } : {}),
  });
  const stock = dataset.series.find((s): s is AnnualSeries => s.frequency === 'annual' && s.measure === 'children_in_care' && Object.keys(s.breakdown).length === 0);
  const cut = data.dataEnd !== marchEnd(end) ? ` (fitted to 31 March ${end}; the returns run to ${dayToIso(data.dataEnd)})` : '';
  const note = `Data: ${data.episodes.length.toLocaleString('en-GB')} episodes of ${data.children.size.toLocaleString('en-GB')} children in the SSDA903 returns in ${o.ssda903}${cut}.`;
  return { sp, data, label, quality: qualityOutput(data, label), note, stock, paths: paths ?? EPISODE_RUN_DEFAULTS.paths, seed: seed ?? EPISODE_RUN_DEFAULTS.seed };
}
