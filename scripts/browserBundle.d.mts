/** Types of scripts/browserBundle.mjs (plain JavaScript: the build runs before anything is compiled), for its tests and benchmarks. */
import type { BuildResult, Metafile } from 'esbuild';
import type TS from 'typescript';

/** The bundle's folder, relative to the package root. */
export declare const BROWSER_DIR: string;
/** The page's module of the bundle. */
export declare const BROWSER_ENTRY: string;
/** The Web Worker script of the bundle. */
export declare const BROWSER_WORKER: string;
/** The module replacing a source file in the browser, if it has a `.browser.ts` twin. */
export declare function browserTwinOf(file: string): string | undefined;
/** The bundled data files: every `.json` in seeds/, sorted. */
export declare function seedDataFiles(seedsDir: string): string[];
/** The zod functions the sources use. */
export declare function zodMembersOfSources(ts: typeof TS, srcDir: string): string[];
/** One file of the bundle with its size and gzip size in bytes. */
export interface BundleSize {
  readonly file: string;
  readonly bytes: number;
  readonly gzip: number;
}
/** Bundle carecast for the browser. */
export declare function bundleBrowser(o: { root: string; outdir?: string; write?: boolean; minify?: boolean }): Promise<{ result: BuildResult & { metafile: Metafile }; sizes: BundleSize[]; atImport: BundleSize[] }>;
/** The Node built-ins a bundle imports (must be none). */
export declare function nodeImportsOf(metafile: Metafile): string[];
