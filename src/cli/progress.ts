/**
 * A progress bar for long CLI work, shown only on an interactive terminal.
 *
 * @module
 */
import cliProgress from 'cli-progress';

/** A progress reporter: call `update` as work completes, `stop` at the end. */
export interface Progress {
  /** Report `done` of `total` units. */
  update(done: number, total: number): void;
  /** Finish (clears the bar's line state); a second call does nothing. */
  stop(): void;
}

/**
 * A progress bar on `stream` (default standard error) when it is a TTY;
 * otherwise (pipes, CI, files) a reporter that prints nothing.
 *
 * @param label - what is being done, e.g. `backtest`
 * @param stream - where to draw (default `process.stderr`)
 * @returns the reporter
 * @example
 * ```ts
 * const p = createProgress('backtest');
 * backtestPanel(series, { ..., onProgress: (d, t) => p.update(d, t) });
 * p.stop();
 * ```
 */
export function createProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number): void {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop(): void {
      if (started) bar.stop();
      started = false;
    },
  };
}
