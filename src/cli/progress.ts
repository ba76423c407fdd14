/**
 * The one progress bar of the command line, for long work: reading large
 * files, simulations, costs, backtests.
 *
 * It draws on standard error, and only when standard error is a terminal
 * (never into a pipe, a file or CI logs, so never into `--json` output or
 * what a test captures), unless turned off with `--no-progress` or the
 * environment variable `CARECAST_NO_PROGRESS=1`. Short work does not flash
 * a bar: nothing is drawn until the work has run for {@link PROGRESS_DELAY_MS}
 * (so a run of under a second usually draws nothing); then it is redrawn at
 * most every {@link PROGRESS_INTERVAL_MS}, on one line, and the line is
 * cleared when the work ends, however it ends.
 *
 * The work in this program runs synchronously, so the bar is drawn from the
 * work's own progress calls (never from a timer), and the clock is read
 * only then: a test gives a fake stream and a fake clock and sees exactly
 * what is drawn.
 *
 * @module
 */

/** How long work runs before a bar is drawn, in milliseconds. */
export const PROGRESS_DELAY_MS = 700;
/** The shortest time between two redraws, in milliseconds. */
export const PROGRESS_INTERVAL_MS = 100;

/** Where a bar is drawn: standard error, or a stand-in for one in tests. */
export interface ProgressStream {
  /** Whether it is a terminal: no bar is ever drawn otherwise. */
  readonly isTTY?: boolean;
  /** Its width in characters, when known (default 80). */
  readonly columns?: number;
  /** Write text. */
  write(text: string): unknown;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Where to draw (default `process.stderr`). */
  readonly stream?: ProgressStream;
  /** The clock, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  /** Draw at all (default true): e.g. `false` with `--json`. A bar is still drawn only on a terminal, and not with `CARECAST_NO_PROGRESS` set. */
  readonly enabled?: boolean;
  /** The environment read for `CARECAST_NO_PROGRESS` (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A progress reporter: call `update` as work completes, `stop` at the end. */
export interface Progress {
  /**
   * Report `done` of `total` units of the step named `what` (default: the
   * last step named), counted in `unit` (bytes are shown as MB; default:
   * items for a step named here, else the last step's unit).
   */
  update(done: number, total: number, what?: string, unit?: 'items' | 'bytes'): void;
  /** Finish: clear the bar's line if one was drawn. Later calls of either method do nothing. */
  stop(): void;
}

/** A reporter that does nothing (what {@link createProgress} gives when no bar may be drawn). */
export const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

/**
 * Whether a bar may be drawn on `stream`: a terminal, not a dumb one, and
 * `CARECAST_NO_PROGRESS` not set (to anything but `0` or empty).
 *
 * @param stream - where it would be drawn
 * @param env - the environment
 * @returns true when a bar may be drawn
 * @example
 * ```ts
 * progressAllowed(process.stderr, process.env); // false in a pipe
 * ```
 */
export function progressAllowed(stream: ProgressStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const off = env.CARECAST_NO_PROGRESS;
  return stream.isTTY === true && env.TERM !== 'dumb' && (off === undefined || off === '' || off === '0');
}

function amount(v: number, unit: 'items' | 'bytes'): string {
  if (unit === 'bytes') return `${(v / 1e6).toFixed(v < 1e7 ? 1 : 0)} MB`;
  return Math.round(v).toLocaleString('en-GB');
}

/**
 * The bar's line for `done` of `total`: label, step, bar, percentage, counts
 * and time taken, cut to `width` characters.
 *
 * @param label - the command, e.g. `project`
 * @param what - the step, e.g. `reading data.csv`
 * @param done - units done
 * @param total - units in all
 * @param unit - what the units are
 * @param elapsedMs - time since the work began
 * @param width - the terminal's width
 * @returns the line (without line break or control characters)
 * @example
 * ```ts
 * progressLine('costs', 'simulating', 1, 4, 'items', 2300, 80);
 * // 'costs: simulating [########......................]  25% 1/4 2.3 s'
 * ```
 */
export function progressLine(label: string, what: string, done: number, total: number, unit: 'items' | 'bytes', elapsedMs: number, width: number): string {
  const share = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const room = Math.max(20, width - 1);
  const tail = ` ${String(Math.floor(share * 100)).padStart(3)}% ${amount(done, unit)}/${amount(total, unit)} ${(elapsedMs / 1000).toFixed(1)} s`;
  let head = `${label}${what ? `: ${what}` : ''} `;
  // the bar takes what room is left, 10 to 30 cells; a long step name is cut first
  const cells = Math.min(30, Math.max(10, room - head.length - tail.length - 2));
  const maxHead = room - tail.length - cells - 2;
  if (head.length > maxHead) head = `${head.slice(0, Math.max(0, maxHead - 2))}… `;
  const full = Math.round(share * cells);
  const line = `${head}[${'#'.repeat(full)}${'.'.repeat(cells - full)}]${tail}`;
  return line.length > room ? line.slice(0, room) : line;
}

/**
 * A progress bar on standard error for a command's long work (see the
 * module notes: terminal only, after a delay, cleared at the end); a
 * reporter that draws nothing when no bar may be drawn.
 *
 * @param label - the command, e.g. `backtest`
 * @param options - stream, clock, `enabled` (e.g. `!json`), environment
 * @returns the reporter
 * @example
 * ```ts
 * const p = createProgress('backtest', { enabled: !o.json });
 * try {
 *   backtestPanel(series, { ...options, onProgress: (d, t) => p.update(d, t, 'areas') });
 * } finally {
 *   p.stop();
 * }
 * ```
 */
export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.enabled === false || !progressAllowed(stream, options.env ?? process.env)) return NO_PROGRESS;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let lastDraw = -Infinity;
  let drawn = false;
  let stopped = false;
  let step = '';
  let stepUnit: 'items' | 'bytes' = 'items';
  return {
    update(done: number, total: number, what?: string, unit?: 'items' | 'bytes'): void {
      if (stopped) return;
      // a step named without a unit is counted in items
      const nextUnit = unit ?? (what !== undefined ? 'items' : stepUnit);
      const changed = (what !== undefined && what !== step) || nextUnit !== stepUnit;
      if (what !== undefined) step = what;
      stepUnit = nextUnit;
      const t = now();
      if (t - start < PROGRESS_DELAY_MS) return;
      // redraw at most every interval, but always at once for a new step and at the end of one
      if (!changed && done < total && t - lastDraw < PROGRESS_INTERVAL_MS) return;
      lastDraw = t;
      drawn = true;
      stream.write(`\r${progressLine(label, step, done, total, stepUnit, t - start, stream.columns || 80)}\x1b[K`);
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
