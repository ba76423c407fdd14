/**
 * The bundled seed datasets: figures published by Derbyshire County Council
 * and Derby City Council, each with its source document and line.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from './errors.js';
import { decodeText, type TextInput } from './loaders/textInput.js';
import { seedFile } from './seedFiles.js';
import { DatasetSchema, type AnnualSeries, type Dataset, type QuarterlySeries, type Series } from './schemas.js';
import { SeedFileSchema, type SeedFile, type SeedProjection, type SeedRecord } from './seedFile.js';
import { breakdownKey } from './breakdown.js';

/** The names of the bundled seed datasets. */
export const SEED_NAMES = ['derbyshire', 'derby'] as const;
/** A bundled seed dataset's name. */
export type SeedName = (typeof SEED_NAMES)[number];

/**
 * A loaded seed: the dataset, the published projections, and the raw file.
 *
 * @example
 * ```ts
 * const seed: Seed = loadSeed('derbyshire');
 * seed.dataset.series.length;   // the published series, each value with its source line
 * seed.projections[0].value;    // 1373: the statement's "1373 by 2028"
 * ```
 */
export interface Seed {
  /** The typed, validated series. */
  readonly dataset: Dataset;
  /** Projections published in the source documents (targets to reproduce). */
  readonly projections: readonly SeedProjection[];
  /** The seed file as parsed, records and all. */
  readonly file: SeedFile;
}

function seriesKey(r: SeedRecord): string {
  return [r.measure, r.kind, r.unit, r.frequency, breakdownKey(r.breakdown)].join('|');
}

/**
 * Group validated seed records into series, each point carrying its
 * provenance. Throws if two records describe the same period of a series.
 *
 * @param file - a parsed seed file
 * @param source - the file name, for error messages
 * @returns the dataset
 * @throws CarecastInputError naming both records of every duplicate
 * @example
 * ```ts
 * const ds = seedFileToDataset(SeedFileSchema.parse(json), 'derbyshire.json');
 * ```
 */
export function seedFileToDataset(file: SeedFile, source: string): Dataset {
  const groups = new Map<string, SeedRecord[]>();
  const seen = new Map<string, number>();
  const problems: InputProblem[] = [];
  file.records.forEach((r, i) => {
    const k = seriesKey(r);
    const periodKey = `${k}|${r.year}|${r.quarter ?? ''}`;
    const prior = seen.get(periodKey);
    if (prior !== undefined) {
      problems.push({
        source,
        row: i + 1,
        field: 'records',
        message: `record ${i + 1} repeats record ${prior + 1} (${r.measure} ${breakdownKey(r.breakdown) || 'total'} ${r.year}${r.quarter ? ` Q${r.quarter}` : ''})`,
        fix: 'keep one record and list the other publication under alsoIn',
      });
      return;
    }
    seen.set(periodKey, i);
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  const series: Series[] = [];
  for (const recs of groups.values()) {
    const r0 = recs[0];
    const common = { measure: r0.measure, kind: r0.kind, unit: r0.unit, breakdown: r0.breakdown, area: file.area.name };
    const point = (r: SeedRecord) => ({
      year: r.year,
      value: r.value,
      ...(r.suppressed ? { suppressed: r.suppressed } : {}),
      provenance: { source: r.source, line: r.line, ...(r.note ? { note: r.note } : {}) },
    });
    if (r0.frequency === 'annual') {
      const s: AnnualSeries = { frequency: 'annual', ...common, points: recs.map(point).sort((a, b) => a.year - b.year) };
      series.push(s);
    } else {
      const s: QuarterlySeries = {
        frequency: 'quarterly',
        ...common,
        points: recs
          .map((r) => ({ ...point(r), quarter: r.quarter ?? 1 }))
          .sort((a, b) => a.year - b.year || a.quarter - b.quarter),
      };
      series.push(s);
    }
  }
  return DatasetSchema.parse({ name: file.name, area: file.area, series, notes: file.notes });
}

/**
 * Parse and validate a seed file's JSON text.
 *
 * @param input - the JSON text, or its bytes (UTF-8)
 * @param source - the file name, for error messages
 * @returns the loaded seed
 * @throws CarecastInputError naming the record and field of every problem
 * @example
 * ```ts
 * const seed = parseSeed(readFileSync('seeds/derby.json', 'utf8'), 'derby.json');
 * ```
 */
export function parseSeed(input: TextInput, source: string): Seed {
  let json: unknown;
  try {
    json = JSON.parse(decodeText(input));
  } catch (e) {
    throw new CarecastInputError([{ source, message: `not valid JSON: ${(e as Error).message}`, fix: 'check the file is complete JSON' }]);
  }
  const parsed = SeedFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new CarecastInputError(
      parsed.error.issues.map((iss) => {
        const recordIndex = iss.path[0] === 'records' && typeof iss.path[1] === 'number' ? iss.path[1] : undefined;
        return {
          source,
          ...(recordIndex !== undefined ? { row: recordIndex + 1 } : {}),
          field: iss.path.join('.'),
          message: iss.message,
          fix: 'correct the value to match the seed file format (src/data/seedFile.ts)',
        };
      }),
    );
  }
  return { dataset: seedFileToDataset(parsed.data, source), projections: parsed.data.projections, file: parsed.data };
}

/**
 * Load a bundled seed dataset by name: typed, validated series with the
 * source document and line of every value, and the projections the
 * documents publish. (In a browser, after `await loadBundledData()`.)
 *
 * @param name - `'derbyshire'` (annual figures 2017-2024: totals, flows, placements,
 *   providers, capacity, costs) or `'derby'` (Derby City's quarterly dashboard)
 * @returns the seed
 * @throws CarecastInputError for an unknown name or an invalid seed file
 * @example
 * ```ts
 * const { dataset } = loadSeed('derbyshire');
 * const cic = findSeries(dataset, 'children_in_care');
 * ```
 */
export function loadSeed(name: SeedName): Seed {
  if (!(SEED_NAMES as readonly string[]).includes(name)) {
    throw new CarecastInputError([{ source: 'loadSeed', field: 'name', message: `unknown seed "${String(name)}"`, fix: `use one of ${SEED_NAMES.join(', ')}` }]);
  }
  return parseSeed(seedFile(`${name}.json`).bytes, `seeds/${name}.json`);
}
