/**
 * The sheets of a single-series projection's workbook (`carecast project
 * --method X --xlsx`): the projection's tidy records (the CSV's rows), the
 * assumptions (method, how it was chosen, the bands and what they rest on,
 * data years, parameters), the caveats and the provenance.
 *
 * @module
 */
import type { Projection } from '../project/forecast.js';
import { COUNT_FORMAT, type WorkbookAssumption, type WorkbookTable } from './excel.js';
import { projectionRecords } from './records.js';
import type { ReportProvenance } from './report.js';

/** Input of {@link projectionWorkbook}. */
export interface ProjectionWorkbookInput {
  /** The projection. */
  readonly projection: Projection;
  /** Rows that open the assumptions sheet: the data source, the command. */
  readonly run?: readonly WorkbookAssumption[];
  /** Lines besides the projection's own caveats (listed first), e.g. how it differs from the system projection. */
  readonly caveats?: readonly string[];
  /** Where the data came from (the Provenance sheet). */
  readonly provenance?: readonly ReportProvenance[];
}

/** What {@link projectionWorkbook} gives: the arguments of `writeWorkbook` / `buildWorkbook`. */
export interface ProjectionWorkbook {
  /** The sheets: Projection, Provenance. */
  readonly tables: readonly WorkbookTable[];
  /** The assumptions sheet's rows. */
  readonly assumptions: readonly WorkbookAssumption[];
  /** The caveats sheet's rows. */
  readonly caveats: readonly string[];
}

/**
 * The sheets of a single-series projection's workbook, for
 * `writeWorkbook(book.tables, book.assumptions, path, { caveats: book.caveats })`:
 * **Projection** (`projectionRecords(projection)`, counts `#,##0`, years
 * `0`), **Provenance**, the assumptions (the run's rows, then the method,
 * how it was chosen, the bands, data years, each parameter) and the caveats.
 *
 * @param input - the projection, run rows, caveats, provenance
 * @returns tables, assumptions, caveats
 * @example
 * ```ts
 * const book = projectionWorkbook({ projection: forecast(cic, { to: 2030 }), provenance: provenanceOf(cic) });
 * await writeWorkbook(book.tables, book.assumptions, 'out/derby-projection.xlsx', { caveats: book.caveats });
 * ```
 */
export function projectionWorkbook(input: ProjectionWorkbookInput): ProjectionWorkbook {
  const p = input.projection;
  const records = projectionRecords(p);
  const formats: Record<string, string> = { value: COUNT_FORMAT, point: COUNT_FORMAT };
  for (const iv of p.intervals) {
    formats[`lo_${iv.level}`] = COUNT_FORMAT;
    formats[`hi_${iv.level}`] = COUNT_FORMAT;
  }
  if (p.flatBand) {
    formats.flat_lo = COUNT_FORMAT;
    formats.flat_hi = COUNT_FORMAT;
  }
  const observed = p.history.filter((h) => h.value !== null).map((h) => h.year);
  const assumptions: WorkbookAssumption[] = [
    ...(input.run ?? []),
    { item: 'area', value: p.area, unit: '', note: `${p.measure.replace(/_/g, ' ')} at 31 March` },
    { item: 'method', value: p.method, unit: '', note: p.summary },
    { item: 'method asked for', value: p.requestedMethod, unit: '', note: p.selection?.rule ?? 'as asked' },
    { item: 'interval method', value: p.intervalMethod, unit: '', note: p.intervalBasis?.summary ?? '' },
    { item: 'band levels', value: p.intervals.map((iv) => `${iv.level}%`).join(', ') || 'none', unit: '', note: '' },
    ...(p.flatBand ? [{ item: 'flat band', value: p.flatBand.fraction, unit: 'share', note: 'a flat \u00b1 band for comparison; not a probability interval' }] : []),
    { item: 'data years', value: observed.length > 0 ? `${Math.min(...observed)}-${Math.max(...observed)}` : 'none', unit: 'years', note: `${p.history.length} years in the fit` },
    { item: 'projected years', value: `${p.years[0]}-${p.years[p.years.length - 1]}`, unit: 'years ending 31 March', note: '' },
    ...Object.entries(p.diagnostics.params).map(([k, v]) => ({ item: `parameter: ${k}`, value: v, unit: '', format: Number.isInteger(v) ? '0' : '0.0000', note: `${p.method}'s fitted parameter` })),
  ];
  const provenance = input.provenance ?? [];
  return {
    tables: [
      { name: 'Projection', rows: records, numberFormats: formats, notes: [`${p.area}: ${p.measure.replace(/_/g, ' ')} at 31 March, observed and projected (${p.method}), the CSV's rows`] },
      {
        name: 'Provenance',
        columns: ['source', 'line', 'note'],
        rows: provenance.length > 0 ? provenance.map((r) => ({ source: r.source, line: r.line ?? null, note: r.note ?? null })) : [{ source: 'not recorded', line: null, note: 'the input carried no provenance' }],
        numberFormats: { line: '0' },
      },
    ],
    assumptions,
    caveats: [...new Set([...(input.caveats ?? []), ...p.caveats])],
  };
}
