/**
 * Benchmarks' bridge to R's forecast package: make sure Rscript with
 * forecast and jsonlite is there (installing it from Debian when running as
 * root), run `benchmarks/r-accuracy-dfe.R` on rolling-origin slices, and read
 * its forecasts back. Used by accuracy-dfe.ts and long-horizon-england.ts.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** R's methods, as named in r-accuracy-dfe.R. */
export const R_METHODS = ['ets', 'arima', 'theta', 'drift', 'naive'] as const;
/** One of {@link R_METHODS}. */
export type RMethod = (typeof R_METHODS)[number];
/** How each R method is called, for tables. */
export const R_LABEL: Record<RMethod, string> = {
  ets: '`ets(y)`',
  arima: '`auto.arima(y)`',
  theta: '`thetaf(y)`',
  drift: '`rwf(y, drift = TRUE)`',
  naive: '`naive(y)`',
};

/** One R forecast (arrays of length h; a scalar when h = 1), or the error R raised. */
export interface RFc {
  /** R's name of the model fitted (`fc$method`, e.g. `ETS(M,A,N)`). */
  readonly model?: string;
  readonly mean?: number | number[];
  readonly lo80?: number | number[];
  readonly hi80?: number | number[];
  readonly lo95?: number | number[];
  readonly hi95?: number | number[];
  readonly error?: string;
}
/** One R method over every series and origin, with its wall time. */
export interface RMethodOut {
  readonly ms: number;
  readonly warmupMs: number;
  readonly failures: number;
  readonly series: readonly (readonly RFc[])[];
}
/** What r-accuracy-dfe.R writes. */
export interface ROut {
  readonly rVersion: string;
  readonly forecastVersion: string;
  readonly nSeries: number;
  readonly nFits: number;
  /** Every method asked for (all of {@link R_METHODS} unless a subset was given to {@link runR}). */
  readonly methods: Readonly<Partial<Record<RMethod, RMethodOut>>>;
  readonly peakRssBytes: number | null;
}

/** A series for R: the values as carecast fits them, and the origins (training length n, steps h). */
export interface RSeries {
  area: string;
  start: number;
  y: number[];
  origins: { n: number; h: number; origin: number }[];
}

/** Run a command; `ok` when it exited with 0. */
export function sh(cmd: string, args: readonly string[], inherit = false): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: inherit ? 'inherit' : 'pipe', timeout: 20 * 60 * 1000, maxBuffer: 1 << 28 });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** `null` when Rscript with forecast and jsonlite works (after installing it if root), else why not. */
export function ensureR(): string | null {
  const check = () => sh('Rscript', ['-e', 'suppressPackageStartupMessages({library(forecast); library(jsonlite)})']);
  if (check().ok) return null;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return 'Rscript with forecast and jsonlite is missing, and installing it needs root (apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite)';
  console.error('Rscript (or forecast/jsonlite) missing: apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite ...');
  const pkgs = ['install', '-y', 'r-base-core', 'r-cran-forecast', 'r-cran-jsonlite'];
  if (!sh('apt-get', pkgs, true).ok) {
    sh('apt-get', ['update'], true);
    sh('apt-get', pkgs, true);
  }
  return check().ok ? null : 'R could not be installed (apt-get install -y r-base-core r-cran-forecast r-cran-jsonlite failed)';
}

/** Forecast every (series, origin) with R's methods (default: all of {@link R_METHODS}) at the given levels; a string says why R could not run. */
export function runR(series: readonly RSeries[], levels: readonly number[], methods: readonly RMethod[] = R_METHODS): ROut | string {
  const skip = ensureR();
  if (skip) return skip;
  const dir = mkdtempSync(join(os.tmpdir(), 'carecast-r-'));
  try {
    const input = join(dir, 'in.json');
    const output = join(dir, 'out.json');
    writeFileSync(input, JSON.stringify({ levels, methods, series: series.map((s) => ({ ...s, origins: s.origins.map((o) => ({ n: o.n, h: o.h })) })) }));
    const r = sh('Rscript', [join(HERE, '..', 'r-accuracy-dfe.R'), input, output]);
    if (!r.ok) return `the R script failed:\n${r.out}`;
    return JSON.parse(readFileSync(output, 'utf8')) as ROut;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** R's JSON gives a scalar for one step: always an array. */
export const arr = (x: number | number[] | undefined | null): number[] => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
