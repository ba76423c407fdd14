/**
 * The bundled DfE panel file (`seeds/dfe-panel.json`): the published cells
 * the panel is built from, in a compact form, with every source file's
 * size, SHA-256, publication and licence.
 *
 * ## Format
 *
 * - `sources`: one entry per raw file, with its name in provenance, its
 *   path relative to the data folder, size, SHA-256 (and the `SHA256SUMS`
 *   file it was checked against), publication, licence, and the years the
 *   panel takes from it.
 * - `areas`: every area as the sources publish it: `[level, name, ONS
 *   code, DfE code]` (`null` for a code it does not have).
 * - `blocks`: one per source file. `keys` are the cells the file gives for
 *   an area and year (`children_in_care`, `children_in_care|dfePlacement=fostering`,
 *   ...), `columns` the column each is read from, `offsets` the line of
 *   each key relative to the row's first line. Each row is `[area, year,
 *   line, value...]`: one value per key, a number, a marker string (`c`,
 *   `x`, `z`, `low`, ...; `""` for an empty cell) or `null` when the file
 *   has no such cell. `lines` lists the few cells whose line is not
 *   `line + offset` (`"row:key"` → line).
 *
 * So every cell keeps its file, line and column, and decoding gives back
 * exactly the cells that were encoded (the build script checks this).
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../errors.js';
import type { Area } from '../schemas.js';
import { parseSuppressionMarker, type ParsedCount } from '../suppression.js';
import type { DfeCell, DfeCellSet, DfeCellSource, DfeSourceKind } from './cells.js';

/** The format name written in the file. */
export const DFE_PANEL_FORMAT = 'carecast-dfe-panel-cells';

const KINDS = ['sfr', 'numberAndRate', 'timeSeries', 'characteristics', 'started', 'ceased'] as const satisfies readonly DfeSourceKind[];

const BundleSourceSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(KINDS),
  path: z.string().min(1),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  checkedAgainst: z.string().nullable(),
  publication: z.string().min(1),
  licence: z.string().min(1),
  yearsInFile: z.array(z.number().int()),
  years: z.array(z.number().int()),
});

const ValueSchema = z.union([z.number().finite(), z.string(), z.null()]);

const BlockSchema = z.strictObject({
  source: z.number().int().nonnegative(),
  keys: z.array(z.string().regex(/^[a-z][a-z0-9_]*(\|[a-zA-Z][a-zA-Z0-9]*=[a-z0-9_]+)?$/)).min(1),
  columns: z.array(z.string().min(1)),
  offsets: z.array(z.number().int()),
  rows: z.array(z.array(ValueSchema)),
  lines: z.record(z.string().regex(/^\d+:\d+$/), z.number().int().positive()),
});

/** The zod schema of the bundled panel file (strict: unknown keys are errors). */
export const DfePanelBundleSchema = z.strictObject({
  format: z.literal(DFE_PANEL_FORMAT),
  version: z.literal(1),
  description: z.string(),
  licence: z.string(),
  attribution: z.string(),
  command: z.string(),
  sources: z.array(BundleSourceSchema).min(1),
  areas: z.array(z.tuple([z.enum(['national', 'region', 'local_authority']), z.string().min(1), z.string().nullable(), z.string().nullable()])),
  blocks: z.array(BlockSchema),
});

/** The bundled panel file, as parsed. */
export type DfePanelBundle = z.infer<typeof DfePanelBundleSchema>;

/** What the bundle records about a source file besides its cells. */
export interface DfeBundleSourceMeta {
  /** Path relative to the data folder (e.g. `dfe/ees_2024/...csv`). */
  readonly path: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** SHA-256, hex. */
  readonly sha256: string;
  /** The `SHA256SUMS` file the checksum was checked against, or `null`. */
  readonly checkedAgainst: string | null;
  /** The publication the file belongs to. */
  readonly publication: string;
  /** Its licence. */
  readonly licence: string;
}

function encodeValue(v: ParsedCount): number | string {
  if (v.value !== null) return v.value;
  return v.suppressed?.marker ?? '';
}

function decodeValue(v: number | string, where: string): ParsedCount {
  if (typeof v === 'number') return { value: v };
  if (v === '') return { value: null };
  const s = parseSuppressionMarker(v);
  if (!s) throw new CarecastInputError([{ source: 'seeds/dfe-panel.json', field: where, message: `unknown marker ${JSON.stringify(v)}`, fix: 'rebuild the file with npm run build:seeds' }]);
  return { value: null, suppressed: s };
}

/**
 * Encode cells as the bundle file's `sources`, `areas` and `blocks`.
 *
 * @param set - the cells and their sources
 * @param meta - for each source (by name): path, size, checksum, publication, licence
 * @param header - the file's description, licence, attribution and command
 * @returns the bundle, ready for `JSON.stringify`
 * @throws `CarecastInputError` when a source has no metadata, or one key is read from two columns in one file
 * @example
 * ```ts
 * const bundle = encodeDfeCells(set, meta, { description, licence, attribution, command });
 * writeFileSync('seeds/dfe-panel.json', `${JSON.stringify(bundle)}\n`);
 * ```
 */
export function encodeDfeCells(
  set: DfeCellSet,
  meta: ReadonlyMap<string, DfeBundleSourceMeta>,
  header: Pick<DfePanelBundle, 'description' | 'licence' | 'attribution' | 'command'>,
): DfePanelBundle {
  const areaIndex = new Map<string, number>();
  const areas: DfePanelBundle['areas'] = [];
  const areaOf = (a: Area): number => {
    const k = `${a.level}|${a.name}|${a.code ?? ''}|${a.oldCode ?? ''}`;
    let i = areaIndex.get(k);
    if (i === undefined) {
      i = areas.length;
      areaIndex.set(k, i);
      areas.push([a.level, a.name, a.code ?? null, a.oldCode ?? null]);
    }
    return i;
  };
  const problems: { source: string; message: string; fix: string }[] = [];
  const sources = set.sources.map((s) => {
    const m = meta.get(s.name);
    if (!m) {
      problems.push({ source: s.name, message: 'no path, size or checksum given for this source', fix: 'read the files with readDfePanelFolder' });
      return undefined;
    }
    return { name: s.name, kind: s.kind, path: m.path, bytes: m.bytes, sha256: m.sha256, checkedAgainst: m.checkedAgainst, publication: m.publication, licence: m.licence, yearsInFile: [...s.yearsInFile], years: [...s.years] };
  });
  const blocks: DfePanelBundle['blocks'] = [];
  set.sources.forEach((s, si) => {
    const cells = set.cells.filter((c) => c.source === s.name);
    if (cells.length === 0) return;
    const keys: string[] = [];
    const columns: string[] = [];
    const keyIndex = new Map<string, number>();
    const rows = new Map<string, { area: number; year: number; cells: DfeCell[] }>();
    for (const c of cells) {
      let k = keyIndex.get(c.key);
      if (k === undefined) {
        k = keys.length;
        keyIndex.set(c.key, k);
        keys.push(c.key);
        columns.push(c.column);
      } else if (columns[k] !== c.column) {
        problems.push({ source: s.name, message: `${c.key} is read from ${columns[k]} and ${c.column}`, fix: 'read each key from one column per file' });
      }
      const area = areaOf(c.area);
      const rk = `${area}|${c.year}`;
      let r = rows.get(rk);
      if (!r) rows.set(rk, (r = { area, year: c.year, cells: [] }));
      r.cells.push(c);
    }
    // Line offsets: the most common offset of each key from its row's first line.
    const counts = keys.map(() => new Map<number, number>());
    for (const r of rows.values()) {
      const start = Math.min(...r.cells.map((c) => c.line));
      for (const c of r.cells) {
        const m = counts[keyIndex.get(c.key)!];
        m.set(c.line - start, (m.get(c.line - start) ?? 0) + 1);
      }
    }
    const offsets = counts.map((m) => [...m].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0);
    const lines: Record<string, number> = {};
    const out: (number | string | null)[][] = [];
    for (const r of rows.values()) {
      const start = Math.min(...r.cells.map((c) => c.line));
      const row: (number | string | null)[] = [r.area, r.year, start, ...keys.map(() => null)];
      for (const c of r.cells) {
        const k = keyIndex.get(c.key)!;
        if (row[3 + k] !== null) problems.push({ source: s.name, message: `two cells ${c.key} for one area in ${c.year}`, fix: 'a file has one cell per area, year and key' });
        row[3 + k] = encodeValue(c.value);
        if (c.line !== start + offsets[k]) lines[`${out.length}:${k}`] = c.line;
      }
      out.push(row);
    }
    blocks.push({ source: si, keys, columns, offsets, rows: out, lines });
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  return {
    format: DFE_PANEL_FORMAT,
    version: 1,
    ...header,
    sources: sources.filter((s): s is NonNullable<typeof s> => s !== undefined),
    areas,
    blocks,
  };
}

/**
 * Decode a bundle back into the cells it was made from.
 *
 * @param bundle - the parsed file (see {@link parseDfePanelBundle})
 * @returns the sources and cells, each cell with its file, line and column
 * @throws `CarecastInputError` when a row refers to an unknown area or source, has the wrong length, or holds an unknown marker
 * @example
 * ```ts
 * const set = decodeDfeCells(parseDfePanelBundle(JSON.parse(text), 'dfe-panel.json'));
 * panelFromCells(set); // the panel
 * ```
 */
export function decodeDfeCells(bundle: DfePanelBundle): DfeCellSet {
  const areas: Area[] = bundle.areas.map(([level, name, code, oldCode]) => ({ name, level, ...(code !== null ? { code } : {}), ...(oldCode !== null ? { oldCode } : {}) }));
  const sources: DfeCellSource[] = bundle.sources.map((s) => ({ name: s.name, kind: s.kind, yearsInFile: [...s.yearsInFile], years: [...s.years] }));
  const cells: DfeCell[] = [];
  const bad = (where: string, message: string) => new CarecastInputError([{ source: 'seeds/dfe-panel.json', field: where, message, fix: 'rebuild the file with npm run build:seeds' }]);
  bundle.blocks.forEach((b, bi) => {
    const src = bundle.sources[b.source];
    if (!src) throw bad(`blocks.${bi}.source`, `no source ${b.source}`);
    if (b.columns.length !== b.keys.length || b.offsets.length !== b.keys.length) throw bad(`blocks.${bi}`, 'keys, columns and offsets differ in length');
    b.rows.forEach((row, ri) => {
      if (row.length !== 3 + b.keys.length) throw bad(`blocks.${bi}.rows.${ri}`, `${row.length} values, expected ${3 + b.keys.length}`);
      const [ai, year, start] = row;
      if (typeof ai !== 'number' || !areas[ai] || typeof year !== 'number' || typeof start !== 'number') throw bad(`blocks.${bi}.rows.${ri}`, 'a row starts with area, year and line');
      for (let k = 0; k < b.keys.length; k++) {
        const v = row[3 + k];
        if (v === null) continue;
        const line = b.lines[`${ri}:${k}`] ?? start + b.offsets[k];
        cells.push({ area: areas[ai], year, key: b.keys[k], value: decodeValue(v, `blocks.${bi}.rows.${ri}`), source: src.name, line, column: b.columns[k] });
      }
    });
  });
  return { sources, cells };
}

/**
 * Validate a bundle file's JSON with the strict schema.
 *
 * @param json - the parsed JSON
 * @param source - the file name, for messages
 * @returns the bundle
 * @throws `CarecastInputError` naming every field that does not fit the schema
 * @example
 * ```ts
 * const bundle = parseDfePanelBundle(JSON.parse(readFileSync('seeds/dfe-panel.json', 'utf8')), 'seeds/dfe-panel.json');
 * ```
 */
export function parseDfePanelBundle(json: unknown, source: string): DfePanelBundle {
  const parsed = DfePanelBundleSchema.safeParse(json);
  if (!parsed.success) {
    throw new CarecastInputError(parsed.error.issues.slice(0, 20).map((i) => ({ source, field: i.path.join('.'), message: i.message, fix: 'rebuild the file with npm run build:seeds' })));
  }
  return parsed.data;
}
