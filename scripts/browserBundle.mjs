/**
 * The browser bundle (`carecast/browser`), built by scripts/build.mjs after
 * tsc: esbuild bundles `src/browser.ts` into `dist/browser/carecast.js` and
 * the Web Worker `src/system/webWorker.ts` into `carecast-worker.js`, ES
 * modules for `platform: 'browser'`, with the code they share and every
 * lazily loaded part (exceljs, vega, each bundled data file) in chunks
 * beside them. All files sit in one folder, so `new URL('./carecast-worker.js',
 * import.meta.url)` finds the worker from any of them.
 *
 * Two rules make the core a browser bundle, and nothing else changes:
 *
 * - **Browser twins.** A module `X.ts` with a `X.browser.ts` beside it is
 *   replaced by the twin wherever it is imported: `data/seedFiles` (the
 *   bundled files as data modules instead of reads from disk),
 *   `uncertainty/workerHost` (Web Workers instead of worker threads),
 *   `data/dfe/panelFiles` (no folder of raw files to read) and
 *   `models/global/mlRegression` (`ml-regression` imported with the bundle,
 *   not through `require` on first use). A twin exports
 *   what its module exports (esbuild stops on a missing name).
 * - **Data modules.** `import SEED_MODULES from 'carecast-seed-modules'`
 *   is made here: one entry per file of `seeds/`, each a function importing
 *   `carecast-seed:<file>`, the file's text as a module of its own (a
 *   chunk, fetched when `loadBundledData` asks for it). Every file listed
 *   in `seeds/MANIFEST.json` is checked against its size and SHA-256 first:
 *   the build stops on a changed file.
 *
 * csv-parse is its own browser build (`csv-parse/browser/esm/sync`, the
 * same version and parser, with a Buffer of its own), and
 * zod is vendored as in the Node build (scripts/vendorZod.mjs): the
 * functions the sources read (`z.name`, found the same way, on the sources
 * with their types stripped) and what they reach, not zod's whole classic
 * entry with its 64 locales.
 *
 * Anything that imports a `node:` module (or another Node built-in) fails
 * the bundle: esbuild cannot resolve it for the browser, and the build
 * stops naming the file that imports it.
 *
 * `bundleBrowser` is also what test/browser/bundle.test.ts runs (in memory).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { vendorEntry, zodUsesOf } from './vendorZod.mjs';

/** The bundle's folder, relative to the package root. */
export const BROWSER_DIR = 'dist/browser';
/** The entry files of the bundle (in BROWSER_DIR). */
export const BROWSER_ENTRY = 'carecast.js';
export const BROWSER_WORKER = 'carecast-worker.js';

/** The module replacing `file` in the browser, if it has a twin: `x.ts` → `x.browser.ts`. */
export function browserTwinOf(file) {
  if (!/\.ts$/.test(file) || /\.browser\.ts$/.test(file) || /\.d\.ts$/.test(file)) return undefined;
  const twin = file.replace(/\.ts$/, '.browser.ts');
  return existsSync(twin) ? twin : undefined;
}

/** esbuild plugin: each module with a `.browser.ts` twin is replaced by it. */
function browserTwins(srcDir) {
  return {
    name: 'carecast-browser-twins',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (!args.importer.startsWith(srcDir + sep)) return undefined;
        const target = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        const twin = browserTwinOf(target);
        if (!twin || twin === args.importer) return undefined;
        return { path: twin };
      });
    },
  };
}

function walkTs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkTs(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []));
}

/**
 * The zod functions the sources use: each module importing zod, its types
 * stripped by TypeScript, read by {@link zodUsesOf} as the build reads the
 * compiled modules.
 *
 * @throws Error listing every use of zod the vendoring does not allow
 */
export function zodMembersOfSources(ts, srcDir) {
  const members = new Set();
  const problems = [];
  for (const file of walkTs(srcDir)) {
    const text = readFileSync(file, 'utf8');
    if (!/['"]zod(\/[^'"]*)?['"]/.test(text)) continue;
    const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false }, fileName: file }).outputText;
    const uses = zodUsesOf(ts, js, relative(srcDir, file));
    problems.push(...uses.problems);
    for (const m of uses.members) members.add(m);
  }
  if (problems.length > 0) throw new Error(`cannot vendor zod into the browser bundle:\n  ${problems.join('\n  ')}`);
  return [...members].sort();
}

/** esbuild plugin: `zod` imported by the sources is the vendored entry of the members they read. */
function vendoredZod(root, srcDir, members) {
  return {
    name: 'carecast-vendored-zod',
    setup(build) {
      build.onResolve({ filter: /^zod$/ }, (args) => (args.importer.startsWith(srcDir + sep) ? { path: 'zod', namespace: 'carecast-zod' } : undefined));
      build.onLoad({ filter: /.*/, namespace: 'carecast-zod' }, () => ({ contents: vendorEntry(members), resolveDir: root, loader: 'js' }));
    },
  };
}

/** The bundled data files: every `.json` in seeds/, sorted. */
export function seedDataFiles(seedsDir) {
  return readdirSync(seedsDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/**
 * A seed file's bytes, checked against seeds/MANIFEST.json when listed there.
 *
 * @throws Error naming the file, its size and SHA-256 and the recorded ones
 */
function checkedSeedBytes(seedsDir, file) {
  const bytes = readFileSync(join(seedsDir, file));
  const manifest = JSON.parse(readFileSync(join(seedsDir, 'MANIFEST.json'), 'utf8'));
  const entry = manifest.files?.[file];
  if (entry) {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== entry.sha256 || bytes.length !== entry.bytes) {
      throw new Error(`seeds/${file}: ${bytes.length} bytes, SHA-256 ${sha256}; seeds/MANIFEST.json records ${entry.bytes} bytes, ${entry.sha256} (rebuild the seeds with npm run build:seeds)`);
    }
  }
  return bytes;
}

/** esbuild plugin: `carecast-seed-modules` and `carecast-seed:<file>`, the bundled files as data modules. */
function seedModules(seedsDir) {
  return {
    name: 'carecast-seed-modules',
    setup(build) {
      build.onResolve({ filter: /^carecast-seed-modules$/ }, () => ({ path: 'carecast-seed-modules', namespace: 'carecast-seeds' }));
      build.onLoad({ filter: /.*/, namespace: 'carecast-seeds' }, () => {
        const files = seedDataFiles(seedsDir);
        const lines = files.map((f) => `  ${JSON.stringify(f)}: () => import(${JSON.stringify(`carecast-seed:${f}`)}),`);
        return { contents: `export default Object.freeze({\n${lines.join('\n')}\n});\n`, loader: 'js' };
      });
      build.onResolve({ filter: /^carecast-seed:/ }, (args) => {
        const file = args.path.slice('carecast-seed:'.length);
        if (!/^[\w.-]+\.json$/.test(file) || !existsSync(join(seedsDir, file))) return { errors: [{ text: `no bundled file seeds/${file}` }] };
        return { path: join(seedsDir, file), namespace: 'carecast-seed' };
      });
      build.onLoad({ filter: /.*/, namespace: 'carecast-seed' }, (args) => {
        const bytes = checkedSeedBytes(seedsDir, relative(seedsDir, args.path));
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        return { contents: text, loader: 'text', watchFiles: [args.path] };
      });
    },
  };
}

/**
 * Bundle carecast for the browser.
 *
 * @param {object} o
 * @param {string} o.root - the repository (package.json, src/, seeds/, node_modules/)
 * @param {string} [o.outdir] - where to write (default `<root>/dist/browser`)
 * @param {boolean} [o.write] - write the files (default true); false keeps them in memory (`outputFiles`)
 * @param {boolean} [o.minify] - minify (default true)
 * @returns {Promise<{ result: import('esbuild').BuildResult, sizes: { file: string, bytes: number, gzip: number }[], atImport: { file: string, bytes: number, gzip: number }[] }>}
 *   the build, every JavaScript file's size and gzip size, and those loaded when the entry is imported
 * @throws Error with esbuild's messages when the bundle fails (e.g. a `node:` import)
 */
export async function bundleBrowser({ root, outdir = join(root, BROWSER_DIR), write = true, minify = true }) {
  const require = createRequire(join(root, 'package.json'));
  const esbuild = require('esbuild');
  const srcDir = join(root, 'src');
  const zodMembers = zodMembersOfSources(require('typescript'), srcDir);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { carecast: join(srcDir, 'browser.ts'), 'carecast-worker': join(srcDir, 'system', 'webWorker.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome100', 'firefox100', 'safari16'],
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    minify,
    legalComments: 'eof',
    metafile: true,
    write,
    logLevel: 'silent',
    // csv-parse's browser build (its Node build uses Node's Buffer); the same version and parser
    alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' },
    plugins: [browserTwins(srcDir), seedModules(join(root, 'seeds')), vendoredZod(root, srcDir, zodMembers)],
  });
  const files = write
    ? Object.keys(result.metafile.outputs).map((f) => ({ file: resolve(root, f), bytes: readFileSync(resolve(root, f)) }))
    : result.outputFiles.map((f) => ({ file: f.path, bytes: f.contents }));
  const sizes = files
    .filter((f) => f.file.endsWith('.js'))
    .map((f) => ({ file: relative(outdir, f.file).split(sep).join('/'), bytes: f.bytes.length, gzip: gzipSync(f.bytes, { level: 9 }).length }))
    .sort((a, b) => a.file.localeCompare(b.file));
  // what importing the entry loads: it and the chunks it imports statically (the rest is loaded on demand)
  const outputs = result.metafile.outputs;
  const key = (f) => Object.keys(outputs).find((k) => resolve(root, k) === resolve(f));
  const eager = new Set();
  const visit = (k) => {
    if (!k || eager.has(k)) return;
    eager.add(k);
    for (const imp of outputs[k].imports ?? []) if (imp.kind === 'import-statement') visit(key(resolve(root, imp.path)) ?? imp.path);
  };
  visit(key(join(outdir, BROWSER_ENTRY)));
  const eagerFiles = new Set([...eager].map((k) => relative(outdir, resolve(root, k)).split(sep).join('/')));
  const atImport = sizes.filter((s) => eagerFiles.has(s.file));
  return { result, sizes, atImport };
}

/**
 * The modules a bundle includes that import Node built-ins, and the
 * `node:` (or built-in) imports left in it: both must be empty.
 *
 * @param {import('esbuild').Metafile} metafile
 * @returns {string[]} one line per problem
 */
export function nodeImportsOf(metafile) {
  const builtins = new Set(require_builtins());
  const bad = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports ?? []) {
      const p = imp.path.replace(/^node:/, '');
      if (imp.path.startsWith('node:') || (imp.external && builtins.has(p.split('/')[0]))) bad.push(`${file} imports ${imp.path}`);
    }
  }
  for (const [file, output] of Object.entries(metafile.outputs)) {
    for (const imp of output.imports ?? []) if (imp.external) bad.push(`${file} keeps the import ${imp.path}`);
  }
  return bad;
}

function require_builtins() {
  return createRequire(import.meta.url)('node:module').builtinModules;
}
