/** Shared test helper: paths of the fixtures cut from the raw DfE and ONS files (scripts/cut-fixtures.ts). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The DfE fixture folder (mirrors the raw folder: sfr_la_cla_2011_2017/, ees_2024/). */
export const DFE_FIXTURES = fileURLToPath(new URL('../fixtures/dfe/', import.meta.url));
/** The SFR tables fixture folder. */
export const SFR_FIXTURES = `${DFE_FIXTURES}sfr_la_cla_2011_2017`;
/** The EES 2024 publication fixture folder. */
export const EES_FIXTURES = `${DFE_FIXTURES}ees_2024/`;
/** The ONS fixture folder. */
export const ONS_FIXTURES = fileURLToPath(new URL('../fixtures/ons/', import.meta.url));

/** A fixture file's text. */
export function fixtureText(path: string): string {
  return readFileSync(path, 'utf8');
}
