/**
 * The build's zod vendoring (scripts/vendorZod.mjs): how it reads a compiled
 * module's use of zod (TypeScript's parser, so comments and strings are not
 * code), what it refuses, the specifier rewrite, and a whole run on a small
 * build folder: the vendored zod gives zod's English messages in a process
 * that never loads the zod package, and the build stops on a zod version
 * other than the one package.json pins. The built package itself is checked
 * in shipped.test.ts and, installed, in install.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isZodSpecifier, rewriteSpecifiers, vendorEntry, vendorSpecifier, vendorZod, zodUsesOf } from '../../scripts/vendorZod.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ZOD_VERSION = (createRequire(join(ROOT, 'package.json'))('zod/package.json') as { version: string }).version;
const WORK = mkdtempSync(join(tmpdir(), 'carecast-vendor-zod-'));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

describe('reading a compiled module', () => {
  const mod = [
    "import { readFileSync } from 'node:fs';",
    "import { z } from 'zod';",
    "// import { z } from 'zod'; z.comment()",
    "/** z.jsdoc() */",
    "const text = \"import * as y from 'zod'; z.inString()\";",
    'export const S = z.object({ a: z.string().min(1), b: z.enum(["x"]).optional(), c: z.array(z.number()) });',
    'const o = { z: 1, w: o2.z, f(z2) { return z2; } };',
    'export const T = z?.union([S, z.literal(null)]);',
    '',
  ].join('\n');

  it('finds the import and every member read as z.name, not in comments or strings', () => {
    const u = zodUsesOf(ts, mod, 'a.js');
    expect(u.problems).toEqual([]);
    expect(u.members).toEqual(['array', 'enum', 'literal', 'number', 'object', 'string', 'union']);
    expect(u.imports).toHaveLength(1);
    const { start, end } = u.imports[0];
    expect(mod.slice(start, end)).toBe("'zod'");
    expect(start).toBe(mod.indexOf("'zod'"));
  });

  it('rewrites only the specifier of that import', () => {
    const u = zodUsesOf(ts, mod, 'a.js');
    const out = rewriteSpecifiers(mod, u.imports, '../vendor/zod.js');
    expect(out).toBe(mod.replace("import { z } from 'zod';", "import { z } from '../vendor/zod.js';"));
    // the comment and the string still say zod; the module no longer imports it
    expect(out).toContain("// import { z } from 'zod';");
    expect(zodUsesOf(ts, out, 'a.js')).toEqual({ imports: [], members: [], problems: [] });
    // a range that is not 'zod' is refused
    expect(() => rewriteSpecifiers(mod, [{ start: 0, end: 6 }], 'x.js')).toThrow(/expected 'zod'/);
  });

  it('refuses every other way of reaching zod, and z used other than as z.name, with the line', () => {
    const refused: [string, RegExp][] = [
      ["import * as z from 'zod';", /a\.js:1: `import \* as z from 'zod';`: zod is vendored only through/],
      ["import { z as zz } from 'zod';", /only through/],
      ["import { z, ZodError } from 'zod';", /only through/],
      ["import z from 'zod';", /only through/],
      ["import { z } from 'zod/mini';", /only through/],
      ["import { z } from \"zod/v4\";", /only through/],
      ["import 'zod';", /only through/],
      ["export { z } from 'zod';", /re-exporting from zod/],
      ["export * from 'zod';", /re-exporting from zod/],
      ["const m = await import('zod');", /loading zod dynamically/],
      ["const m = await import('zod/v4/core');", /loading zod dynamically/],
      ["import { z } from 'zod';\nexport { z };", /a\.js:2: `export \{ z \};`: `z` is used other than as `z\.name`/],
      ["import { z } from 'zod';\nconst all = z;", /a\.js:2: .*`z` is used other than/],
      ["import { z } from 'zod';\nconst s = z['string']();", /`z` is used other than/],
      ["import { z } from 'zod';\nconst o = { z };", /`z` is used other than/],
      ["import { z } from 'zod';\nfunction f(z) { return z.slice(1); }", /`z` is used other than/],
    ];
    for (const [text, message] of refused) {
      const u = zodUsesOf(ts, text, 'a.js');
      expect(u.problems.join('\n'), text).toMatch(message);
    }
  });

  it('leaves modules that do not import zod alone, whatever they call z', () => {
    const text = "import { z } from './zeta.js';\nfunction f(z) { return z.slice(1); }\nexport { z };";
    expect(zodUsesOf(ts, text, 'b.js')).toEqual({ imports: [], members: [], problems: [] });
    expect(isZodSpecifier('zod')).toBe(true);
    expect(isZodSpecifier('zod/mini')).toBe(true);
    expect(isZodSpecifier('zodiac')).toBe(false);
    expect(isZodSpecifier('./zod.js')).toBe(false);
  });

  it('points each module at dist/vendor/zod.js by a relative path', () => {
    expect(vendorSpecifier('index.js')).toBe('./vendor/zod.js');
    expect(vendorSpecifier('data/schemas.js')).toBe('../vendor/zod.js');
    expect(vendorSpecifier('data/dfe/bundle.js')).toBe('../../vendor/zod.js');
  });

  it('bundles the members as an object z, reserved words included', () => {
    expect(vendorEntry(['enum', 'string'])).toBe(
      "import { enum as zod_enum, string as zod_string } from 'zod';\nexport const z = Object.freeze({ enum: zod_enum, string: zod_string });\n",
    );
  });
});

describe('a whole run on a small build folder', () => {
  const bad = { name: '', kind: 'weekly', values: [1, 'two'], extra: true };
  const schemaCode = "z.strictObject({ name: z.string().min(1), kind: z.enum(['annual', 'quarterly']), values: z.array(z.number()) })";

  it('vendors the members used; the modules run on it and give zod\u2019s English messages without loading the zod package', async () => {
    const dist = join(WORK, 'dist');
    mkdirSync(join(dist, 'deep'), { recursive: true });
    writeFileSync(join(dist, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dist, 'schema.js'), `import { z } from 'zod';\nexport const S = ${schemaCode};\n`);
    writeFileSync(join(dist, 'deep', 'use.js'), "import { z } from 'zod';\nimport { S } from '../schema.js';\nexport const W = z.object({ s: S });\n");
    writeFileSync(join(dist, 'deep', 'plain.js'), 'export const n = 1;\n');
    const v = await vendorZod(ROOT, dist);
    expect(v.version).toBe(ZOD_VERSION);
    expect(v.names).toEqual(['array', 'enum', 'number', 'object', 'strictObject', 'string']);
    expect(v.modules.sort()).toEqual(['deep/use.js', 'schema.js']);
    expect(readFileSync(join(dist, 'deep', 'use.js'), 'utf8')).toMatch(/^import \{ z \} from '\.\.\/vendor\/zod\.js';\n/);
    expect(readFileSync(join(dist, 'deep', 'plain.js'), 'utf8')).toBe('export const n = 1;\n');
    const vendored = readFileSync(join(dist, 'vendor', 'zod.js'), 'utf8');
    expect(vendored).toMatch(new RegExp(`^/\\*! zod ${ZOD_VERSION.replace(/\./g, '\\.')} `));
    expect(vendored).toContain('MIT License');
    expect(vendored).not.toMatch(/from ['"]zod/);
    // a fresh process that loads only the folder: the load hook sees no module of the zod package
    const script = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function load(url, ctx, next) { port.postMessage(url); return next(url, ctx); }'), { data: { port: port2 }, transferList: [port2] });
const { W } = await import(${JSON.stringify(new URL('deep/use.js', `file://${dist}/`).href)});
const r = W.safeParse({ s: ${JSON.stringify(bad)} });
await new Promise((res) => setTimeout(res, 100));
port1.close();
console.log(JSON.stringify({ issues: r.error.issues, zodModules: urls.filter((u) => u.includes('/node_modules/zod/')).length, loaded: urls.length }));
`;
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: WORK, encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const got = JSON.parse(p.stdout.trim().split('\n').pop() as string) as { issues: unknown[]; zodModules: number; loaded: number };
    expect(got.zodModules).toBe(0);
    expect(got.loaded).toBe(3);
    // the same schema built with the zod package in this process
    const S = z.strictObject({ name: z.string().min(1), kind: z.enum(['annual', 'quarterly']), values: z.array(z.number()) });
    const expected = z.object({ s: S }).safeParse({ s: bad }).error?.issues;
    expect(got.issues).toEqual(JSON.parse(JSON.stringify(expected)));
    // and they are English (zod's fallback without a locale is "Invalid input")
    expect((got.issues as { message: string }[]).map((i) => i.message)).toEqual([
      'Too small: expected string to have >=1 characters',
      'Invalid option: expected one of "annual"|"quarterly"',
      'Invalid input: expected number, received string',
      'Unrecognized key: "extra"',
    ]);
  });

  it('stops when a compiled module reaches zod another way, and when the installed zod is not the version package.json pins', async () => {
    const dist = join(WORK, 'dist-star');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'a.js'), "import * as z from 'zod';\nexport const S = z.string();\n");
    await expect(vendorZod(ROOT, dist)).rejects.toThrow(/dist\/a\.js:1: `import \* as z from 'zod';`: zod is vendored only through/);
    writeFileSync(join(dist, 'a.js'), "import { z } from 'zod';\nexport const S = z.strng();\n");
    await expect(vendorZod(ROOT, dist)).rejects.toThrow(/z\.strng is read but zod .* exports no `strng`/);

    const fake = join(WORK, 'other-root');
    mkdirSync(fake);
    symlinkSync(join(ROOT, 'node_modules'), join(fake, 'node_modules'));
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'x', type: 'module', dependencies: { zod: '4.0.0' } }));
    writeFileSync(join(dist, 'a.js'), "import { z } from 'zod';\nexport const S = z.string();\n");
    await expect(vendorZod(fake, dist)).rejects.toThrow(new RegExp(`the installed zod is ${ZOD_VERSION.replace(/\./g, '\\.')} .*package\\.json pins 4\\.0\\.0`));
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'x', type: 'module', dependencies: { zod: `^${ZOD_VERSION}` } }));
    await expect(vendorZod(fake, dist)).rejects.toThrow(/must be an exact version/);
  });
});
