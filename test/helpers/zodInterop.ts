/**
 * The built package runs zod from `dist/vendor/zod.js` (scripts/vendorZod.mjs),
 * not from the `zod` package. These checks show it is the same zod, from a
 * consumer's side: a script run in a fresh Node process imports carecast
 * (the root and `carecast/data`) and, only after that, the consumer's own
 * `zod`, and prints what it saw; the expected values are the same steps run
 * here on the sources, which use the zod package. Shared by
 * test/package/shipped.test.ts (the build in this repository) and
 * test/package/install.test.ts (the installed tarball).
 */
import { z } from 'zod';
import { findSeries } from '../../src/data/breakdown.js';
import { AnnualSeriesSchema } from '../../src/data/schemas.js';
import { loadSeed } from '../../src/data/seeds.js';

/** What the script prints. */
export interface ZodInterop {
  /** Modules of the zod package that importing carecast loaded (before the consumer imports zod). */
  readonly zodModulesLoadedByCarecast: number;
  /** `AnnualSeriesSchema.safeParse(bad)` issues, in a process where only carecast has loaded zod. */
  readonly alone: unknown;
  /** `z.object({ s: AnnualSeriesSchema, note: z.string() })` with the consumer's zod: a good value back unchanged, and the issues of a bad one. */
  readonly composedGood: boolean;
  readonly composedBad: unknown;
  /** `AnnualSeriesSchema.extend({ tag: z.literal('t') })` (carecast's zod extended with a consumer schema) on a wrong tag. */
  readonly extendedBad: unknown;
  /** What `AnnualSeriesSchema.parse(bad)` throws, seen through the consumer's zod. */
  readonly thrown: { readonly zodError: boolean; readonly error: boolean; readonly name: string; readonly pretty: string };
  /** `instanceof` the consumer's zod classes. */
  readonly instanceOf: { readonly zodType: boolean; readonly zodObject: boolean; readonly zodArray: boolean };
  /** zod's version as carecast's schemas and the consumer's zod carry it (`schema._zod.version`). */
  readonly version: { readonly carecast: unknown; readonly consumer: unknown };
}

/** The bad series, from the good one: a wrong frequency and unit, a text value, a fractional year. */
const BAD = `{ ...good, frequency: 'weekly', unit: 42, points: [{ ...good.points[0], value: 'many' }, { year: 2019.5, value: 3 }] }`;

/**
 * The script: an ES module for `node --input-type=module -e`, run where `zod` resolves to the consumer's zod.
 *
 * @param rootSpecifier - how it imports carecast's root (`carecast`, or a file URL of dist/index.js)
 * @param dataSpecifier - how it imports `carecast/data`
 * @returns the script's text; it prints one line of JSON ({@link ZodInterop})
 */
export function zodInteropScript(rootSpecifier: string, dataSpecifier: string): string {
  return `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function load(url, ctx, next) { port.postMessage(url); return next(url, ctx); }'), { data: { port: port2 }, transferList: [port2] });
const { findSeries, loadSeed } = await import(${JSON.stringify(rootSpecifier)});
const { AnnualSeriesSchema } = await import(${JSON.stringify(dataSpecifier)});
const good = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
const bad = ${BAD};
const alone = AnnualSeriesSchema.safeParse(bad).error.issues;
await new Promise((r) => setTimeout(r, 100));
const zodModulesLoadedByCarecast = urls.filter((u) => u.includes('/node_modules/zod/')).length;
port1.close();
const { z } = await import('zod');
const S = z.object({ s: AnnualSeriesSchema, note: z.string() });
const composedGood = JSON.stringify(S.parse({ s: good, note: 'x' })) === JSON.stringify({ s: good, note: 'x' });
const composedBad = S.safeParse({ s: bad, note: 1 }).error.issues;
const extendedBad = AnnualSeriesSchema.extend({ tag: z.literal('t') }).safeParse({ ...good, tag: 'u' }).error.issues;
let thrown;
try { AnnualSeriesSchema.parse(bad); } catch (e) { thrown = { zodError: e instanceof z.ZodError, error: e instanceof Error, name: e.name, pretty: z.prettifyError(e) }; }
const instanceOf = { zodType: AnnualSeriesSchema instanceof z.ZodType, zodObject: AnnualSeriesSchema instanceof z.ZodObject, zodArray: AnnualSeriesSchema instanceof z.ZodArray };
const version = { carecast: AnnualSeriesSchema._zod.version, consumer: z.string()._zod.version };
console.log(JSON.stringify({ zodModulesLoadedByCarecast, alone, composedGood, composedBad, extendedBad, thrown, instanceOf, version }));
`;
}

/**
 * The same steps on the sources (the zod package throughout), as the script prints them.
 *
 * @param zodVersion - the version package.json pins
 * @returns what the built or installed package must print
 */
export function zodInteropExpected(zodVersion: string): ZodInterop {
  const good = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
  // the same expression as the script's
  const bad = new Function('good', `return ${BAD};`)(good) as unknown;
  const S = z.object({ s: AnnualSeriesSchema, note: z.string() });
  const thrownBy = (): ZodInterop['thrown'] => {
    try {
      AnnualSeriesSchema.parse(bad);
    } catch (e) {
      return { zodError: e instanceof z.ZodError, error: e instanceof Error, name: (e as Error).name, pretty: z.prettifyError(e as z.ZodError) };
    }
    throw new Error('the bad series parsed');
  };
  const [major, minor, patch] = zodVersion.split('.').map(Number);
  const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));
  return {
    zodModulesLoadedByCarecast: 0,
    alone: json(AnnualSeriesSchema.safeParse(bad).error?.issues),
    composedGood: true,
    composedBad: json(S.safeParse({ s: bad, note: 1 }).error?.issues),
    extendedBad: json(AnnualSeriesSchema.extend({ tag: z.literal('t') }).safeParse({ ...good, tag: 'u' }).error?.issues),
    thrown: thrownBy(),
    instanceOf: { zodType: true, zodObject: true, zodArray: false },
    version: { carecast: { major, minor, patch }, consumer: { major, minor, patch } },
  };
}

/** Some of zod's English messages for the bad series (without a locale zod says only "Invalid input"). */
export const ENGLISH_MESSAGES = ['Invalid input: expected "annual"', 'Invalid input: expected number, received string', 'Invalid input: expected int, received number'];
