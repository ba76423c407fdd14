/**
 * Vendoring zod into the build (run by scripts/build.mjs after tsc).
 *
 * Why: `import('zod')` loads zod's classic entry, 95 modules with all 64
 * locales (about 850 KB), and is most of what `import('carecast')` costs. The
 * library uses a dozen of zod's functions, so the build bundles those, with
 * everything they reach and nothing else, into one file, `dist/vendor/zod.js`
 * (esbuild, tree-shaken), and points the compiled modules at it. It is the
 * installed zod's own code, of the version package.json pins (the build
 * checks): English messages (zod registers its `en` locale when the first
 * schema is built), the same `instanceof` answers across copies (zod's
 * classes answer `instanceof` by trait name) and the same global
 * configuration and registry (zod keeps them on `globalThis`, shared by every
 * copy). The sources, the tests and tsx keep importing `zod`; the `.d.ts`
 * files too, so `zod` stays a dependency for the types.
 *
 * How, without guessing: each compiled module is parsed with TypeScript's
 * parser (comments and strings are not code), and zod may be reached in one
 * form only, `import { z } from 'zod'` with every use of `z` a member read
 * `z.name`. Anything else (another import form, `zod/...`, a dynamic import, a
 * re-export, `z` passed as a value or shadowed) stops the build with the
 * file and line. The members read are the functions vendored; each must be
 * one of the installed zod's exports. Then only the specifier of those import
 * declarations is replaced (by the relative path to `vendor/zod.js`), and the
 * build checks that no module names zod any more.
 *
 * The functions that look at text are pure and tested in
 * test/package/vendorZod.test.ts; `vendorZod(root, dist)` does the work.
 */
import { readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The vendored file, relative to dist/. */
export const VENDOR_FILE = 'vendor/zod.js';

/** A module specifier that names the zod package or one of its subpaths. */
export function isZodSpecifier(spec) {
  return spec === 'zod' || spec.startsWith('zod/');
}

/**
 * Read a compiled module's use of zod.
 *
 * @param ts - the TypeScript module (its parser)
 * @param text - the module's JavaScript
 * @param file - its name, for the messages
 * @returns `imports`: the `{ start, end }` character ranges of the `'zod'`
 *   specifiers of `import { z } from 'zod'` declarations (quotes included);
 *   `members`: the names read as `z.name`, sorted; `problems`: every other
 *   use of zod or of `z`, as `file:line: what`
 */
export function zodUsesOf(ts, text, file) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const imports = [];
  const members = new Set();
  const problems = [];
  const at = (node) => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  /** The line a node starts on, trimmed (for a message). */
  const lineOf = (node) => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const starts = sf.getLineStarts();
    return text.slice(starts[line], starts[line + 1] ?? text.length).trim();
  };

  /** Uses of `z` other than `z.name`: problems only where zod is imported. */
  const strayZ = [];

  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      if (!ts.isStringLiteral(node.moduleSpecifier) || !isZodSpecifier(node.moduleSpecifier.text)) return;
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const ok =
        node.moduleSpecifier.text === 'zod' &&
        clause !== undefined &&
        !clause.isTypeOnly &&
        clause.name === undefined &&
        named !== undefined &&
        ts.isNamedImports(named) &&
        named.elements.length === 1 &&
        named.elements[0].propertyName === undefined &&
        !named.elements[0].isTypeOnly &&
        named.elements[0].name.text === 'z' &&
        node.attributes === undefined;
      if (ok) imports.push({ start: node.moduleSpecifier.getStart(sf), end: node.moduleSpecifier.getEnd() });
      else problems.push(`${at(node)}: \`${node.getText(sf)}\`: zod is vendored only through \`import { z } from 'zod'\``);
      return; // the bindings it declares are not uses
    }
    if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && isZodSpecifier(node.moduleSpecifier.text)) {
      problems.push(`${at(node)}: \`${node.getText(sf)}\`: re-exporting from zod is not vendored`);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      isZodSpecifier(node.arguments[0].text)
    ) {
      problems.push(`${at(node)}: \`${node.getText(sf)}\`: loading zod dynamically is not vendored`);
    } else if (ts.isIdentifier(node) && node.text === 'z') {
      const p = node.parent;
      if (ts.isPropertyAccessExpression(p) && p.expression === node) members.add(p.name.text);
      else if (!isPropertyName(ts, node)) strayZ.push(`${at(node)}: \`${lineOf(node)}\`: \`z\` is used other than as \`z.name\` (or declared again) in a module that imports zod`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (imports.length === 0) return { imports, members: [], problems };
  return { imports, members: [...members].sort(), problems: [...problems, ...strayZ] };
}

/** An identifier in a position that names a property, not a variable (`a.z`, `{ z: 1 }`, `class { z() {} }`). */
function isPropertyName(ts, node) {
  const p = node.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === node) ||
    ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) && p.name === node) ||
    (ts.isBindingElement(p) && p.propertyName === node) ||
    ((ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) && p.propertyName === node)
  );
}

/**
 * Replace the character ranges of the zod specifiers by a quoted relative path.
 *
 * @param text - the module's JavaScript
 * @param ranges - from {@link zodUsesOf}
 * @param specifier - the new specifier, e.g. `../vendor/zod.js`
 * @returns the new text
 */
export function rewriteSpecifiers(text, ranges, specifier) {
  let out = text;
  for (const r of [...ranges].sort((a, b) => b.start - a.start)) {
    const old = out.slice(r.start, r.end);
    if (!/^(['"])zod\1$/.test(old)) throw new Error(`expected 'zod' at ${r.start}-${r.end}, found ${old}`);
    out = `${out.slice(0, r.start)}'${specifier}'${out.slice(r.end)}`;
  }
  return out;
}

/** The specifier of dist/vendor/zod.js from a module at `distPath` (relative to dist/, `/`-separated). */
export function vendorSpecifier(distPath) {
  const rel = posix.relative(posix.dirname(distPath), VENDOR_FILE);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The entry esbuild bundles: the members carecast reads, as an object `z`
 * (the modules keep their `import { z } ...`; only the specifier changes).
 *
 * @param members - zod's exports to vendor
 * @returns JavaScript
 */
export function vendorEntry(members) {
  const local = (m) => `zod_${m}`;
  return [
    `import { ${members.map((m) => `${m} as ${local(m)}`).join(', ')} } from 'zod';`,
    `export const z = Object.freeze({ ${members.map((m) => `${m}: ${local(m)}`).join(', ')} });`,
    '',
  ].join('\n');
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Vendor zod into `dist`: check the version, bundle the members used, point
 * the modules at the bundle, check that none names zod any more.
 *
 * @param root - the repository (its package.json and node_modules)
 * @param dist - the build folder, compiled by tsc
 * @returns what was done, for the build's log
 * @throws Error naming each problem
 */
export async function vendorZod(root, dist) {
  const require = createRequire(join(root, 'package.json'));
  const ts = require('typescript');
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    throw new Error(`esbuild is not installed in ${root}; run \`npm install\` there first (it is a devDependency)`);
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const zodPkgFile = require.resolve('zod/package.json');
  const zodPkg = JSON.parse(readFileSync(zodPkgFile, 'utf8'));
  const pinned = pkg.dependencies?.zod;
  if (!/^\d+\.\d+\.\d+$/.test(pinned ?? '')) {
    throw new Error(`package.json pins zod as ${JSON.stringify(pinned)}: the build vendors zod, so the dependency (for the types) must be an exact version`);
  }
  if (zodPkg.version !== pinned) {
    throw new Error(`the installed zod is ${zodPkg.version} (${zodPkgFile}), package.json pins ${pinned}: run \`npm install\``);
  }

  const modules = walk(dist)
    .filter((f) => f.endsWith('.js'))
    .map((f) => ({ file: f, path: relative(dist, f).split(sep).join('/') }))
    .filter((m) => m.path !== VENDOR_FILE);
  const using = [];
  const members = new Set();
  const problems = [];
  for (const m of modules) {
    const text = readFileSync(m.file, 'utf8');
    const uses = zodUsesOf(ts, text, `dist/${m.path}`);
    problems.push(...uses.problems);
    if (uses.imports.length > 0) {
      using.push({ ...m, text, imports: uses.imports });
      for (const name of uses.members) members.add(name);
    }
  }
  const zod = await import(pathToFileURL(require.resolve('zod')).href);
  for (const name of members) {
    if (zod.z[name] === undefined) problems.push(`z.${name} is read but zod ${zodPkg.version} exports no \`${name}\``);
  }
  if (problems.length > 0) throw new Error(`cannot vendor zod:\n  ${problems.join('\n  ')}`);
  if (using.length === 0) throw new Error('no compiled module imports zod: nothing to vendor (is the scan right?)');

  const names = [...members].sort();
  const outfile = join(dist, ...VENDOR_FILE.split('/'));
  const licence = readFileSync(join(dirname(zodPkgFile), 'LICENSE'), 'utf8').trim();
  const result = await esbuild.build({
    stdin: { contents: vendorEntry(names), resolveDir: root, sourcefile: 'carecast-zod-entry.js', loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // function and class names as in zod's own modules (bundling renames clashing top-level names)
    keepNames: true,
    outfile,
    metafile: true,
    logLevel: 'warning',
    banner: {
      js: [
        `/*! zod ${zodPkg.version} (https://zod.dev), vendored by carecast's build (scripts/vendorZod.mjs):`,
        ` * the functions carecast uses (${names.join(', ')}) and what they reach, bundled by esbuild.`,
        ...licence.split('\n').map((l) => ` * ${l}`.trimEnd()),
        ' */',
      ].join('\n'),
    },
  });
  const zodDir = realpathSync(dirname(zodPkgFile));
  const foreign = Object.keys(result.metafile.inputs).filter((f) => f !== 'carecast-zod-entry.js' && !realpathSync(join(root, f)).startsWith(zodDir + sep));
  if (foreign.length > 0) throw new Error(`the vendored zod bundled files from outside zod: ${foreign.join(', ')}`);

  for (const m of using) writeFileSync(m.file, rewriteSpecifiers(m.text, m.imports, vendorSpecifier(m.path)));
  const left = [];
  for (const m of modules) {
    const uses = zodUsesOf(ts, readFileSync(m.file, 'utf8'), `dist/${m.path}`);
    left.push(...uses.imports.map(() => `dist/${m.path}`), ...uses.problems);
  }
  if (left.length > 0) throw new Error(`modules still name zod after vendoring: ${left.join(', ')}`);
  return { version: zodPkg.version, names, modules: using.map((m) => m.path), bytes: Object.values(result.metafile.outputs)[0].bytes };
}
