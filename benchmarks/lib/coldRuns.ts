/**
 * Shared parts of the cold-process benchmarks (`startup.ts`, `panel-load.ts`):
 * the `--runs N --dist DIR` arguments, median/min/max of repeated runs and
 * their formatting, and paths shown relative to the repository.
 *
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The arguments of a cold-process benchmark. */
export interface ColdArgs {
  /** Cold processes per measurement. */
  runs: number;
  /** The built package's folder. */
  dist: string;
}

/** Parse `--runs N --dist DIR` for `script` (its usage line names it), with `runs` by default. */
export function parseColdArgs(argv: readonly string[], script: string, runs: number): ColdArgs {
  const args: ColdArgs = { runs, dist: join(ROOT, 'dist') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') args.runs = Number(argv[++i]);
    else if (argv[i] === '--dist') args.dist = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}; usage: npx tsx benchmarks/${script} [--runs ${runs}] [--dist dist]`);
  }
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs must be a whole number of at least 1');
  return args;
}

/** The command line that reproduces a run with these arguments. */
export function coldCommand(script: string, args: ColdArgs): string {
  return `npx tsx benchmarks/${script} --runs ${args.runs}${args.dist === join(ROOT, 'dist') ? '' : ` --dist ${relativeToRoot(args.dist)}`}`;
}

/** Median, smallest and largest of repeated runs. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median, min and max of a list of measurements. */
export function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: m, min: s[0], max: s[s.length - 1] };
}

/** `median (min-max)`, the median padded to 5 characters. */
export const fmt = (s: Stats, digits = 0): string => `${s.median.toFixed(digits).padStart(5)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

/** A path below the repository as a relative path (others unchanged). */
export function relativeToRoot(p: string): string {
  return p.startsWith(`${ROOT}/`) ? p.slice(ROOT.length + 1) : p;
}
