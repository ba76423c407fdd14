#!/usr/bin/env node
/**
 * Build dist/ from src/: a clean `tsc -p tsconfig.json` (src only; tests and
 * benchmarks are typechecked by test/tsconfig.json and never emitted), then
 * zod vendored (scripts/vendorZod.mjs: the zod functions the library uses,
 * bundled into dist/vendor/zod.js by esbuild, and the compiled modules
 * pointed at it, for a fast `import('carecast')`), the browser bundle
 * (scripts/browserBundle.mjs: `dist/browser/carecast.js`, `carecast/browser`,
 * with its worker and chunks; the `.browser.ts` twins it uses are not left
 * in dist/, where nothing would load them), the CLI entry made executable,
 * and a build stamp for `npm start`'s staleness check (scripts/start.mjs).
 *
 * Runs as the package's `prepare` script, so every install route builds it:
 * `npm install`/`npm ci` in a clone, `npm pack`/`npm publish` (the tarball
 * ships dist/), and npm's `git+...` installs (npm clones, installs the
 * devDependencies, runs prepare, then packs). Plain JavaScript on purpose:
 * it must run before anything is compiled and without tsx.
 *
 * Usage: node scripts/build.mjs
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBrowser } from './browserBundle.mjs';
import { vendorZod } from './vendorZod.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Written when a build succeeds, dated when it started (see scripts/start.mjs). */
const STAMP = join(DIST, '.build-stamp');

const started = new Date();
let tscJs;
try {
  tscJs = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  console.error(
    `carecast build: TypeScript is not installed in ${ROOT}; run \`npm install\` there first ` +
      '(TypeScript is a devDependency; `npm install <folder>` links the folder and builds it with its own tools)',
  );
  process.exit(1);
}

rmSync(DIST, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [tscJs, '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error(`carecast build: tsc failed (exit ${tsc.status ?? tsc.signal}); dist/ is incomplete`);
  process.exit(1);
}

// silent when it works: npm prints a prepare script's output into `npm pack --json`
try {
  await vendorZod(ROOT, DIST);
} catch (e) {
  console.error(`carecast build: ${e instanceof Error ? e.message : String(e)}; dist/ is incomplete`);
  process.exit(1);
}

// the browser twins (x.browser.ts) replace their module only inside the browser bundle
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const f of walk(DIST)) if (/\.browser\.(js|d\.ts)$/.test(f)) rmSync(f);
try {
  await bundleBrowser({ root: ROOT });
} catch (e) {
  console.error(`carecast build: the browser bundle failed: ${e instanceof Error ? e.message : String(e)}; dist/ is incomplete`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
for (const bin of Object.values(pkg.bin ?? {})) {
  const file = join(ROOT, bin);
  if (!existsSync(file)) {
    console.error(`carecast build: the bin ${bin} was not built`);
    process.exit(1);
  }
  if (!readFileSync(file, 'utf8').startsWith('#!/usr/bin/env node\n')) {
    console.error(`carecast build: the bin ${bin} does not start with #!/usr/bin/env node`);
    process.exit(1);
  }
  chmodSync(file, 0o755);
}

writeFileSync(STAMP, `${started.toISOString()}\n`);
utimesSync(STAMP, started, started);
