/**
 * Checks on what the npm package ships, shared by test/package/shipped.test.ts
 * (the file list of `npm pack --dry-run`) and test/package/install.test.ts
 * (a real tarball installed in a scratch app).
 */
import { posix } from 'node:path';

/** Whether a link target names a place outside this package's files (a URL, an anchor or an e-mail address). */
function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//');
}

/** Text with fenced code blocks and inline code spans blanked (links there are examples, not links). */
function withoutCode(text: string): string {
  return text
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/(`+)[^`\n]*?\1/g, '');
}

/** Every link target in a Markdown file: inline links and images, reference definitions, HTML href/src. */
export function markdownLinkTargets(text: string): string[] {
  const body = withoutCode(text);
  const out: string[] = [];
  // [text](target "title") and ![alt](<target>)
  for (const m of body.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+["'(][^)]*)?\)/g)) out.push(m[1].replace(/^<|>$/g, ''));
  // [id]: target
  for (const m of body.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm)) out.push(m[1].replace(/^<|>$/g, ''));
  // <a href="..."> and <img src="...">
  for (const m of body.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)) out.push(m[1]);
  return out;
}

/**
 * The links in the shipped Markdown files that do not resolve to a shipped
 * file (or to a folder holding one): a link that leaves the package, names
 * an absolute path, or names a repository file that is not packed.
 *
 * @param files - the package's file paths, relative to its root (`npm pack` list)
 * @param read - reads a shipped file's text by that path
 * @returns `file: target (why)` for each broken link
 */
export function brokenDocLinks(files: readonly string[], read: (path: string) => string): string[] {
  const shipped = new Set(files);
  const folders = new Set<string>();
  for (const f of files) for (let d = posix.dirname(f); d !== '.'; d = posix.dirname(d)) folders.add(d);
  const bad: string[] = [];
  for (const file of files.filter((f) => /\.md$/i.test(f))) {
    for (const target of markdownLinkTargets(read(file))) {
      if (isExternal(target)) continue;
      const path = decodeURIComponent(target.replace(/[?#].*$/, ''));
      if (path === '') continue;
      if (path.startsWith('/')) {
        bad.push(`${file}: ${target} (an absolute path)`);
        continue;
      }
      const resolved = posix.normalize(posix.join(posix.dirname(file), path)).replace(/\/$/, '');
      if (resolved === '..' || resolved.startsWith('../')) bad.push(`${file}: ${target} (outside the package)`);
      else if (!shipped.has(resolved) && !folders.has(resolved)) bad.push(`${file}: ${target} (not shipped)`);
    }
  }
  return bad;
}

/**
 * The paths a compiled module reads relative to its own location:
 * `new URL('<literal>', import.meta.url)`, and the worker entries it starts
 * by name (`startCarecastWorker('<entry>')`, loaded as `dist/<entry>.js`).
 *
 * @param js - the module's JavaScript
 * @returns the relative URL literals and the worker entries
 */
export function selfRelativeReads(js: string): { urls: string[]; workers: string[] } {
  const urls = [...js.matchAll(/new URL\(\s*(['"`])([^'"`$]+)\1\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[2]);
  const workers = [...js.matchAll(/startCarecastWorker\(\s*(['"`])([^'"`$]+)\1\s*\)/g)].map((m) => m[2]);
  return { urls, workers };
}

/** The files an `exports` map points to (every condition, every subpath). */
export function exportTargets(exportsMap: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(exportsMap);
  return out;
}

/**
 * The subpaths of an `exports` map that name one module, root first: `.`, `./danfo`, ...
 * (not `./package.json`, nor `*` patterns, which name no single module).
 */
export function moduleSubpaths(exportsMap: Record<string, unknown>): string[] {
  const keys = Object.keys(exportsMap).filter((k) => !k.endsWith('.json') && !k.includes('*'));
  return [...keys.filter((k) => k === '.'), ...keys.filter((k) => k !== '.')];
}

/** The JavaScript file an `exports` entry loads under the `import` condition. */
export function importTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    for (const k of ['import', 'node', 'default']) {
      const t = importTarget(e[k]);
      if (t) return t;
    }
  }
  return undefined;
}
