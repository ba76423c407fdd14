/**
 * The episode system projection's defaults, in one place: the fit window's
 * end (the last 31 March of the returns), the last year projected (ten years
 * after it), 2000 paths, seed 1, 80% and 95% bands. `carecast project
 * --ssda903` and `costs --ssda903` (src/cli/episodeSource.ts) and
 * `projectSsda903Files` (the page's dropped files, in a worker or not) take
 * them from here, so the same returns and options give the same projection
 * through every door.
 *
 * @module
 */
import { dayToIso, financialYearOf, marchEnd } from '../data/calendar.js';
import { CarecastInputError } from '../data/errors.js';
import type { Ssda903Data } from '../data/loaders/ssda903.js';
import type { EpisodeProjectionOptions } from './episodeProjection.js';

/** The episode projection's choices, as a caller gives them (years, not days); every one has a default. */
export interface EpisodeRunChoices {
  /** Last year to project, to 31 March (default: the fit window's end year + 10). */
  readonly to?: number;
  /** The fit window ends on 31 March of this year (default: the last 31 March of the returns). */
  readonly until?: number;
  /** Simulated paths (default 2000). */
  readonly paths?: number;
  /** Random seed (default 1). */
  readonly seed?: number;
  /** Band levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Model UASC children and the others apart (default `false`; needs the UASC files). */
  readonly splitUasc?: boolean;
  /** Add the placement × provider breakdown (default `false`). */
  readonly placementProvider?: boolean;
}

/** The defaults of {@link EpisodeRunChoices}. */
export const EPISODE_RUN_DEFAULTS = { paths: 2000, seed: 1, levels: [80, 95] as readonly number[], yearsAhead: 10 } as const;

/**
 * The years to 31 March a fit window on these returns can end in.
 *
 * @param data - cleaned SSDA903 returns
 * @returns `first` to `last` (`last < first` when there is no whole year to 31 March)
 * @example
 * ```ts
 * fitYears(data); // { first: 2017, last: 2021 } for returns 1 April 2016 to 31 March 2021
 * ```
 */
export function fitYears(data: Ssda903Data): { readonly first: number; readonly last: number } {
  const fy = financialYearOf(data.dataEnd).year;
  const last = data.dataEnd === marchEnd(fy) ? fy : fy - 1;
  return { first: financialYearOf(data.dataStart).year, last };
}

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'episode projection options', field, message, fix }]);
}

/**
 * The options {@link "carecast/system"!episodeSystemProjection} is called with for these
 * returns and choices, every default filled in: what the CLI's `project
 * --ssda903` and `costs --ssda903` and `projectSsda903Files` all use.
 *
 * @param data - cleaned SSDA903 returns
 * @param choices - the caller's choices (all optional)
 * @returns the projection options: `to`, `until` (the day of 31 March), `paths`, `seed`, `levels`, and `splitUasc`, `placementProvider` when asked
 * @throws CarecastInputError when the returns have no header files (no dates of birth), no whole year to 31 March, `until` outside them, `to` not after `until`, or `splitUasc` without UASC children
 * @example
 * ```ts
 * const o = episodeRunOptions(data, { seed: 3 }); // { to: 2032, until: <31 March 2022>, paths: 2000, seed: 3, levels: [80, 95] }
 * episodeSystemProjection(data, o);
 * ```
 */
export function episodeRunOptions(data: Ssda903Data, choices: EpisodeRunChoices = {}): EpisodeProjectionOptions & { readonly to: number; readonly until: number; readonly paths: number; readonly seed: number; readonly levels: readonly number[] } {
  if (data.children.size === 0) {
    fail('files', 'the returns have no header files, so no dates of birth: the episode model needs them to age the children', 'add the header CSV of each return');
  }
  const { first, last } = fitYears(data);
  const span = `${dayToIso(data.dataStart)} to ${dayToIso(data.dataEnd)}`;
  if (last < first) fail('files', `the returns (${span}) hold no whole year to 31 March to fit the model on`, 'give returns covering at least one year to 31 March');
  const until = choices.until ?? last;
  if (!Number.isInteger(until) || until < first || until > last) fail('until', `the fit window must end on a 31 March within the returns (${span}), got 31 March ${until}`, `give a year from ${first} to ${last}`);
  const to = choices.to ?? until + EPISODE_RUN_DEFAULTS.yearsAhead;
  if (!Number.isInteger(to) || to <= until) fail('to', `the projection must end after the fit window's end year ${until} (got ${to})`, `give a year after ${until}`);
  if (choices.splitUasc && ![...data.children.values()].some((c) => c.uasc)) {
    fail('splitUasc', 'no child in the returns is in a UASC file, so UASC children cannot be modelled apart', 'add the uasc CSV of each return, or drop splitUasc');
  }
  return {
    to,
    until: marchEnd(until),
    paths: choices.paths ?? EPISODE_RUN_DEFAULTS.paths,
    seed: choices.seed ?? EPISODE_RUN_DEFAULTS.seed,
    levels: choices.levels ?? EPISODE_RUN_DEFAULTS.levels,
    ...(choices.splitUasc ? { splitUasc: true } : {}),
    ...(choices.placementProvider ? { placementProvider: true } : {}),
  };
}
