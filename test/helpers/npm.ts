/**
 * Running npm, node and friends from tests: a clean environment (none of the
 * `npm_*` variables an outer `npm run` sets, which a nested npm would read as
 * its own configuration), registry data from the local cache when it is there.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment for nested npm/npx/node commands. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE_OPTIONS' || k === 'NODE_ENV' || k.startsWith('VITEST') || k === 'TSX_TSCONFIG_PATH') continue;
    env[k] = v;
  }
  return {
    ...env,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    // registry only, and from npm's cache when the package is already there (npm ci filled it)
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}

/** The result of a command, with its output as text. */
export type Run = SpawnSyncReturns<string>;

/**
 * Run a command synchronously.
 *
 * @param cmd - the program
 * @param args - its arguments
 * @param cwd - the working folder
 * @param timeoutMs - give up after this long
 * @returns the spawn result
 */
export function run(cmd: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Run {
  return spawnSync(cmd, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

/** A command's output for an assertion message. */
export function describeRun(r: Run): string {
  return `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}${r.error ? ` ${r.error.message}` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/**
 * Run a command and return its stdout, failing with its output when it exits non-zero.
 *
 * @param cmd - the program
 * @param args - its arguments
 * @param cwd - the working folder
 * @param timeoutMs - give up after this long
 * @returns stdout
 * @throws Error with the command's output when it fails
 */
export function ok(cmd: string, args: readonly string[], cwd: string, timeoutMs = 300_000): string {
  const r = run(cmd, args, cwd, timeoutMs);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${cwd}: ${describeRun(r)}`);
  return r.stdout;
}

/**
 * Run a command in the background; the promise settles with its result
 * (never rejects: check `status`).
 *
 * @param cmd - the program
 * @param args - its arguments
 * @param cwd - the working folder
 * @param timeoutMs - kill it after this long
 * @returns the result once it exits
 */
export function runAsync(cmd: string, args: readonly string[], cwd: string, timeoutMs = 300_000): Promise<Run> {
  // output to files, not pipes: the caller may block in spawnSync meanwhile, and a full pipe would stall the child
  const dir = mkdtempSync(join(tmpdir(), 'carecast-run-'));
  const outFd = openSync(join(dir, 'stdout'), 'w');
  const errFd = openSync(join(dir, 'stderr'), 'w');
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', outFd, errFd], timeout: timeoutMs });
    let done = false;
    const finish = (status: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (done) return;
      done = true;
      closeSync(outFd);
      closeSync(errFd);
      const stdout = readFileSync(join(dir, 'stdout'), 'utf8');
      const stderr = readFileSync(join(dir, 'stderr'), 'utf8');
      rmSync(dir, { recursive: true, force: true });
      resolve({ pid: child.pid ?? 0, output: [null, stdout, stderr], stdout, stderr, status, signal, ...(error ? { error } : {}) });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('exit', (status, signal) => finish(status, signal));
  });
}
