/**
 * What the npm package ships, checked quickly from `npm pack --dry-run` (no
 * build, no install; test/package/install.test.ts installs a real tarball):
 * only the build, the bundled data, the README, the guides (docs/guides/), LICENSE and package.json; no source
 * maps or build state pointing at files that are not shipped; every export
 * and the bin built from a source file; every path the library reads
 * relative to its own location inside the package; no shipped document
 * links to a file that is not shipped; and the build's vendored zod
 * (dist/vendor/zod.js) is the installed zod, of the pinned version, that no
 * compiled module bypasses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { brokenDocLinks, exportTargets, markdownLinkTargets, moduleSubpaths, selfRelativeReads } from '../helpers/packageFiles.js';
import { cleanEnv } from '../helpers/npm.js';
import { ENGLISH_MESSAGES, zodInteropExpected, zodInteropScript, type ZodInterop } from '../helpers/zodInterop.js';
import { VENDOR_FILE, vendorSpecifier, zodUsesOf } from '../../scripts/vendorZod.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, unknown>;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

interface PackEntry {
  path: string;
  mode: number;
}
const pack = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
) as { files: PackEntry[] }[];
const files = pack[0].files.map((f) => f.path);
const shipped = new Set(files);
const built = existsSync(join(ROOT, 'dist', 'index.js'));

/** The source file a dist path is compiled from (`dist/a/b.js` and `dist/a/b.d.ts` from `src/a/b.ts`). */
function sourceOf(distPath: string): string {
  if (distPath.startsWith('dist/browser/')) return 'src/browser.ts'; // the browser bundle (scripts/browserBundle.mjs)
  return distPath.replace(/^dist\//, 'src/').replace(/\.d\.ts$|\.js$/, '.ts');
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the package file list (npm pack --dry-run)', () => {
  it('holds the build, the bundled data, README.md, the guides, LICENSE and package.json, and nothing else', () => {
    const outside = files.filter((f) => !/^(dist|seeds)\/|^docs\/guides\/[\w-]+\.md$/.test(f) && !['README.md', 'package.json', 'LICENSE'].includes(f));
    expect(outside).toEqual([]);
    // the README links to the guides and the licence: they ship (docs/api, built by typedoc, does not)
    expect(files).toContain('LICENSE');
    const guides = readdirSync(join(ROOT, 'docs', 'guides')).filter((f) => f.endsWith('.md')).map((f) => `docs/guides/${f}`);
    expect(guides.length).toBeGreaterThan(5);
    expect(guides.filter((g) => !shipped.has(g))).toEqual([]);
    expect(files.filter((f) => f.startsWith('docs/api/'))).toEqual([]);
    expect(files.filter((f) => /\.(map|tsbuildinfo)$|\.build-stamp$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/') && !/\.(js|d\.ts)$/.test(f))).toEqual([]);
    // the browser bundle ships: its entry, its worker and their chunks
    expect(shipped.has('dist/browser/carecast.js') || !built).toBe(true);
    expect(shipped.has('dist/browser/carecast-worker.js') || !built).toBe(true);
    // every file of seeds/ ships (the library reads them at run time)
    const seedFiles = walk(join(ROOT, 'seeds')).map((f) => relative(ROOT, f).split('\\').join('/'));
    expect(seedFiles.length).toBeGreaterThan(0);
    expect(seedFiles.filter((f) => !shipped.has(f))).toEqual([]);
  });

  it.runIf(built)('ships the whole build: every compiled module of src/, and the bin executable', () => {
    // (the .browser.ts twins live only in the browser bundle, dist/browser/; .d.ts sources declare, and compile to nothing)
    const sources = walk(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f).split('\\').join('/'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.browser.ts') && !f.endsWith('.d.ts'));
    const missing = sources.flatMap((s) => [s.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'), s.replace(/^src\//, 'dist/').replace(/\.ts$/, '.d.ts')]).filter((d) => !shipped.has(d));
    expect(missing).toEqual([]);
    for (const bin of Object.values(pkg.bin)) {
      const entry = pack[0].files.find((f) => f.path === bin.replace(/^\.\//, ''));
      expect(entry, bin).toBeDefined();
      expect((entry as PackEntry).mode & 0o111, `${bin} is executable in the tarball`).toBe(0o111);
    }
  });

  it('builds on prepare, with no maps that would point at unshipped sources', () => {
    expect(pkg.scripts.prepare).toMatch(/scripts\/build\.mjs/);
    expect(pkg.scripts.start).toMatch(/^node scripts\/start\.mjs /);
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown>; include: string[] };
    const o = tsconfig.compilerOptions;
    // src/ is not shipped: a map is allowed only with its sources inlined; declaration maps cannot inline them
    if (o.sourceMap === true || o.inlineSourceMap === true) expect(o.inlineSources).toBe(true);
    expect(o.declarationMap ?? false).toBe(false);
    expect(o.incremental ?? false).toBe(false);
    expect(o.composite ?? false).toBe(false);
    expect(o.rootDir).toBe('src');
    expect(o.outDir).toBe('dist');
    expect(tsconfig.include).toEqual(['src']);
  });
});

describe('entry points', () => {
  it('every file of the exports map and the bin is built from a source file and shipped', () => {
    const targets = [...exportTargets(pkg.exports), ...Object.values(pkg.bin).map((b) => b.replace(/^\.\//, ''))];
    expect(moduleSubpaths(pkg.exports)).toContain('.');
    for (const t of targets) {
      if (t === 'package.json') continue;
      expect(t, 'exports point into dist/').toMatch(/^dist\/.+\.(js|d\.ts)$/);
      expect(existsSync(join(ROOT, sourceOf(t))), `${t} is built from ${sourceOf(t)}`).toBe(true);
      if (built) expect(shipped.has(t), `${t} is shipped`).toBe(true);
    }
  });

  it('the bin starts with a node shebang', () => {
    for (const bin of Object.values(pkg.bin)) {
      expect(readFileSync(join(ROOT, sourceOf(bin.replace(/^\.\//, ''))), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    }
  });

  it('every path the library reads relative to its own location lands on a shipped file or folder', () => {
    const sources = walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'));
    const reads: string[] = [];
    for (const file of sources) {
      const rel = relative(ROOT, file).split('\\').join('/');
      // a .browser.ts twin runs inside the browser bundle, whose files all sit in dist/browser/
      const distFile = rel.endsWith('.browser.ts') ? `dist/browser/${posix.basename(rel)}` : rel.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
      const { urls, workers } = selfRelativeReads(readFileSync(file, 'utf8'));
      for (const u of urls) {
        const target = posix.normalize(posix.join(posix.dirname(distFile), u)).replace(/\/$/, '');
        reads.push(`${rel}: ${u} -> ${target}`);
        expect(target.startsWith('..'), `${rel} reads ${u}, outside the package`).toBe(false);
        const asFolder = files.some((f) => f.startsWith(`${target}/`));
        expect(shipped.has(target) || asFolder, `${rel} reads ${u} (${target}), which is not shipped`).toBe(true);
      }
      for (const w of workers) {
        reads.push(`${rel}: worker ${w}`);
        expect(existsSync(join(ROOT, 'src', `${w}.ts`)), `worker entry src/${w}.ts`).toBe(true);
        if (built) expect(shipped.has(`dist/${w}.js`), `worker entry dist/${w}.js is shipped`).toBe(true);
      }
    }
    // files named in the seeds folder (`${SEEDS_DIR}name.json`, join(SEEDS_DIR, 'name.json'), seedFile('name.json'),
    // readCheckedSeed('name.json'), a constant `..._FILE = 'name.json'`) ship
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /\$\{SEEDS_DIR\}([\w.-]+)`|join\(\s*SEEDS_DIR\s*,\s*['"]([\w./-]+)['"]\s*\)|(?:seedFile|readCheckedSeed|readCheckedSeedBytes)\(\s*['"]([\w.-]+\.json)['"]|_FILE\s*=\s*['"]([\w.-]+\.json)['"]/g,
      )) {
        const name = m[1] ?? m[2] ?? m[3] ?? m[4];
        reads.push(`${relative(ROOT, file)}: seeds/${name}`);
        expect(shipped.has(`seeds/${name}`), `${relative(ROOT, file)} reads seeds/${name}, which is not shipped`).toBe(true);
      }
    }
    // the reads known today: the CLI's version, the seeds folder, the two worker entries
    expect(reads.join('\n')).toMatch(/cli\/main\.ts: \.\.\/\.\.\/package\.json -> package\.json/);
    expect(reads.join('\n')).toMatch(/data\/seedFiles\.ts: \.\.\/\.\.\/seeds\/ -> seeds/);
    expect(reads.filter((r) => r.includes('worker')).length).toBeGreaterThanOrEqual(2);
    expect(reads.filter((r) => /: seeds\/.+\.json$/.test(r)).length).toBeGreaterThanOrEqual(2);
  });
});

describe('shipped documents', () => {
  it('link only to files the package ships', () => {
    const docs = files.filter((f) => f.endsWith('.md'));
    expect(docs).toContain('README.md');
    expect(brokenDocLinks(files, (p) => readFileSync(join(ROOT, p), 'utf8'))).toEqual([]);
  });

  it('the link check finds links and rejects the broken ones', () => {
    const text = [
      '[ok](seeds/NOTES.md) ![img](<dist/x.js>) [dir](seeds/) [anchor](#top) [web](https://example.org/a.md)',
      '[gone](docs/guide.md#part) [up](../shared/data/README.md) [abs](/work/x.md)',
      '[ref]: benchmarks/RESULTS.md',
      '<a href="test/golden/README.md">golden</a>',
      '`[code](not/a/link.md)`',
      '```',
      '[fenced](not/a/link.md)',
      '```',
    ].join('\n');
    expect(markdownLinkTargets(text)).toEqual([
      'seeds/NOTES.md',
      'dist/x.js',
      'seeds/',
      '#top',
      'https://example.org/a.md',
      'docs/guide.md#part',
      '../shared/data/README.md',
      '/work/x.md',
      'benchmarks/RESULTS.md',
      'test/golden/README.md',
    ]);
    const list = ['README.md', 'seeds/NOTES.md', 'dist/x.js'];
    expect(brokenDocLinks(list, (p) => (p === 'README.md' ? text : ''))).toEqual([
      'README.md: docs/guide.md#part (not shipped)',
      'README.md: ../shared/data/README.md (outside the package)',
      'README.md: /work/x.md (an absolute path)',
      'README.md: benchmarks/RESULTS.md (not shipped)',
      'README.md: test/golden/README.md (not shipped)',
    ]);
  });
});

describe('the vendored zod (scripts/vendorZod.mjs)', () => {
  it('is built with esbuild, a devDependency of an exact version; zod stays a dependency of an exact version (the types)', () => {
    expect(pkg.devDependencies.esbuild).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies.zod).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.runIf(built)('is shipped, of the pinned version, and the compiled modules that import zod import it instead; the declarations still name zod', () => {
    const installed = (createRequire(join(ROOT, 'package.json'))('zod/package.json') as { version: string }).version;
    expect(installed).toBe(pkg.dependencies.zod);
    expect(shipped.has(`dist/${VENDOR_FILE}`)).toBe(true);
    const vendored = readFileSync(join(ROOT, 'dist', VENDOR_FILE), 'utf8');
    expect(vendored.startsWith(`/*! zod ${installed} (https://zod.dev), vendored by carecast's build`)).toBe(true);
    expect(vendored).toContain('Copyright (c)');
    expect(vendored).not.toMatch(/^import .* from ['"]zod/m);
    // the sources that import zod (for values), and the compiled modules that import the vendored file
    const sources = walk(join(ROOT, 'src')).filter((f) => f.endsWith('.ts'));
    const zodSources = sources.filter((f) => /^import \{ z \} from 'zod';$/m.test(readFileSync(f, 'utf8'))).map((f) => relative(join(ROOT, 'src'), f).split('\\').join('/'));
    expect(zodSources.length).toBeGreaterThan(5);
    // (the browser bundle, dist/browser/, vendors zod its own way: scripts/browserBundle.mjs)
    const js = walk(join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => relative(join(ROOT, 'dist'), f).split('\\').join('/'))
      .filter((f) => !f.startsWith('browser/'));
    const importers: string[] = [];
    for (const f of js.filter((p) => p !== VENDOR_FILE)) {
      const text = readFileSync(join(ROOT, 'dist', f), 'utf8');
      expect(zodUsesOf(ts, text, f), `${f} names zod`).toEqual({ imports: [], members: [], problems: [] });
      if (text.includes(`import { z } from '${vendorSpecifier(f)}';`)) importers.push(f);
    }
    expect(importers.sort()).toEqual(zodSources.map((f) => f.replace(/\.ts$/, '.js')).sort());
    // the declarations name the zod package (the consumer's, for the types), never the vendored file
    const dts = walk(join(ROOT, 'dist')).filter((f) => f.endsWith('.d.ts'));
    expect(dts.filter((f) => readFileSync(f, 'utf8').includes('vendor/zod'))).toEqual([]);
    expect(readFileSync(join(ROOT, 'dist', 'data', 'schemas.d.ts'), 'utf8')).toMatch(/^import \{ z \} from 'zod';$/m);
  });

  it.runIf(built)('is zod: English messages, the same issues as from the sources, and it composes with the consumer\u2019s own zod', () => {
    const url = (p: string) => pathToFileURL(join(ROOT, 'dist', p)).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', zodInteropScript(url('index.js'), url('data/index.js'))], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').pop() as string) as ZodInterop;
    expect(got).toEqual(zodInteropExpected(pkg.dependencies.zod));
    expect((got.alone as { message: string }[]).map((i) => i.message)).toEqual(expect.arrayContaining(ENGLISH_MESSAGES));
  });
});

describe('the build stamp npm start relies on', () => {
  it.runIf(built)('is written by the build and dated no later than dist/cli/main.js', () => {
    const stamp = join(ROOT, 'dist', '.build-stamp');
    expect(existsSync(stamp)).toBe(true);
    expect(statSync(stamp).mtimeMs).toBeLessThanOrEqual(statSync(join(ROOT, 'dist', 'cli', 'main.js')).mtimeMs);
  });
});
