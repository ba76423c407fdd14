/**
 * The data modules of the browser bundle: made by its build
 * (`scripts/browserBundle.mjs`), one per file of `seeds/`, each the file's
 * text, imported on demand. Only `seedFiles.browser.ts` uses them.
 */
declare module 'carecast-seed-modules' {
  /** Each bundled file's name in `seeds/`, with a function importing its text. */
  const modules: Readonly<Record<string, () => Promise<{ readonly default: string }>>>;
  export default modules;
}
