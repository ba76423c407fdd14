/** Types of scripts/vendorZod.mjs (plain JavaScript: the build runs before anything is compiled), for its tests. */
import type TS from 'typescript';

/** A character range of a module's text. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

/** The vendored file, relative to dist/. */
export declare const VENDOR_FILE: string;
/** A module specifier that names the zod package or one of its subpaths. */
export declare function isZodSpecifier(spec: string): boolean;
/** A compiled module's use of zod: the `'zod'` specifiers to replace, the members read as `z.name`, and every other use as a problem. */
export declare function zodUsesOf(ts: typeof TS, text: string, file: string): { imports: Range[]; members: string[]; problems: string[] };
/** Replace the ranges of the `'zod'` specifiers by a quoted relative path. */
export declare function rewriteSpecifiers(text: string, ranges: readonly Range[], specifier: string): string;
/** The specifier of dist/vendor/zod.js from a module at a path relative to dist/. */
export declare function vendorSpecifier(distPath: string): string;
/** The entry esbuild bundles: the members, as an object `z`. */
export declare function vendorEntry(members: readonly string[]): string;
/** Vendor zod into a build folder compiled by tsc. */
export declare function vendorZod(root: string, dist: string): Promise<{ version: string; names: string[]; modules: string[]; bytes: number }>;
