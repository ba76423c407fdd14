#!/usr/bin/env node
/**
 * `npm start`: run the built CLI (dist/cli/main.js) with the arguments given,
 * rebuilding first when dist/ is missing or older than the sources, so a
 * developer who edits src/ still gets current output while a current build
 * starts at compiled-JavaScript speed (no tsx).
 *
 * Staleness is a cheap mtime check: dist/.build-stamp (dated when the last
 * successful build started, by scripts/build.mjs) against every file under
 * src/, tsconfig.json, package.json and the build's own scripts
 * (scripts/build.mjs, scripts/vendorZod.mjs). The CLI then runs in this
 * process.
 *
 * Usage: node scripts/start.mjs project --seed derbyshire --to 2035
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-stamp');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/** The newest modification time (ms) of the files under a folder, with the file. */
function newest(dir) {
  let best = { mtime: 0, file: '' };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const found = entry.isDirectory() ? newest(path) : { mtime: statSync(path).mtimeMs, file: path };
    if (found.mtime > best.mtime) best = found;
  }
  return best;
}

/** Why dist/ must be rebuilt, or undefined when it is current. */
function staleReason() {
  let built;
  try {
    built = statSync(STAMP).mtimeMs;
  } catch {
    return 'no build yet';
  }
  const inputs = [newest(join(ROOT, 'src'))];
  for (const f of ['tsconfig.json', 'package.json', 'scripts/build.mjs', 'scripts/vendorZod.mjs']) inputs.push({ mtime: statSync(join(ROOT, f)).mtimeMs, file: join(ROOT, f) });
  const latest = inputs.reduce((a, b) => (b.mtime > a.mtime ? b : a));
  return latest.mtime > built ? `${latest.file.slice(ROOT.length + 1)} changed since the last build` : undefined;
}

const reason = staleReason();
if (reason) {
  console.error(`carecast: building dist/ first (${reason})`);
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// run the CLI here, as `node dist/cli/main.js <args>` would
process.argv = [process.argv[0], MAIN, ...process.argv.slice(2)];
await import(pathToFileURL(MAIN).href);
