#!/usr/bin/env node
/**
 * Build the example page's scripts into examples/browser/vendor/ (not in
 * git): the carecast browser bundle, made from the sources exactly as
 * `npm run build` makes dist/browser/ (scripts/browserBundle.mjs), and
 * vega-embed with vega and vega-lite, bundled from node_modules. Then the
 * folder is a static site: index.html, app.js, model.js and vendor/, with
 * nothing fetched from anywhere else.
 *
 * Usage: node examples/browser/build.mjs
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleBrowser } from '../../scripts/browserBundle.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

/**
 * Build vendor/carecast/ (the bundle) and vendor/vega-embed.js.
 *
 * @param {string} [root] - the repository
 * @returns {Promise<{ carecast: { file: string, bytes: number, gzip: number }[], atImport: { file: string, bytes: number, gzip: number }[], vegaEmbed: number }>} the files' sizes (all, and those loaded when carecast.js is imported)
 */
export async function buildExample(root = ROOT) {
  const vendor = join(root, 'examples', 'browser', 'vendor');
  rmSync(vendor, { recursive: true, force: true });
  mkdirSync(vendor, { recursive: true });
  const { sizes, atImport } = await bundleBrowser({ root, outdir: join(vendor, 'carecast') });
  const esbuild = createRequire(join(root, 'package.json'))('esbuild');
  const r = await esbuild.build({
    stdin: { contents: "export { default } from 'vega-embed';\n", resolveDir: root, sourcefile: 'vega-embed-entry.js', loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    legalComments: 'eof',
    outfile: join(vendor, 'vega-embed.js'),
    metafile: true,
    logLevel: 'warning',
  });
  return { carecast: sizes, atImport, vegaEmbed: Object.values(r.metafile.outputs)[0].bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = await buildExample();
  const entry = out.carecast.find((s) => s.file === 'carecast.js');
  console.log(`examples/browser/vendor/: carecast.js ${entry?.bytes} bytes (+ ${out.carecast.length - 1} files), vega-embed.js ${out.vegaEmbed} bytes`);
  console.log('serve it with: node examples/browser/serve.mjs');
}
