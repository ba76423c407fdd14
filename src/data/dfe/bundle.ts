/**
 * The bundled DfE panel file (`seeds/dfe-panel.json`): the panel as
 * `panelFromCells` derives it from the raw files (every series, value,
 * suppression marker, upper bound and provenance note), stored so that it
 * is decoded without deriving anything, one area at a time if need be.
 *
 * ## Format (version 2)
 *
 * One JSON object, ASCII only (other characters are written as `\uXXXX`
 * escapes). Everything but `data` is the header, checked with a strict zod
 * schema ({@link DfePanelBundleHeaderSchema}):
 *
 * - `sources`: one entry per raw file, with its name in provenance, its
 *   path relative to the data folder, size, SHA-256 (and the `SHA256SUMS`
 *   file it was checked against), publication, licence, the years in the
 *   file and the years the panel takes from it.
 * - `checks`: the cross-file checks the build ran on the raw cells (how
 *   many pairs were compared, the documented exceptions; the build stops
 *   on any other difference).
 * - `panel`: the panel's `years`, `missingYears`, `notes` and `areas` (in
 *   panel order, as the panel gives them).
 * - `tables`: what the numbers refer to: `measures` (each measure's series
 *   kind and unit), `keys` (each series: `measure` for a total,
 *   `measure|dimension=category` for a breakdown), `cells` (provenance
 *   columns), `markers` (suppression markers) and `notes` (templates of
 *   the segments of provenance notes, `{}` standing for each number; a
 *   note is one or more segments joined by `; `).
 *
 * `data` comes last, one array of numbers per area (in the order of
 * `panel.areas`), each on a line of its own: the file is the header on its
 * first line, ending with {@link DFE_PANEL_DATA_START}, then the arrays
 * joined by `,\n`, then `\n]}\n`. So the file's bytes are split into
 * lines, the header line is parsed, and an area's line is decoded and
 * parsed only when the area is first used. An area's array is:
 *
 * - `nRows`, then each row: `source, year, firstLine` (a point's source and
 *   year are its row's; its line is stored minus the row's first line);
 * - `nNotes`, then each of the area's distinct provenance notes: its
 *   number of segments, then each segment's template (index into
 *   `tables.notes`) followed by the segment's numbers;
 * - `nSeries`, then each series: `key, nPoints`, then each point: its head
 *   `row + rows × (cell + cells × flags)` (`rows` is the area's `nRows`,
 *   `cells` the length of `tables.cells`, the cell 0 when the point has
 *   none), then, as its flags ({@link POINT_FLAGS}) say, the line offset,
 *   the value, the marker, the upper bound and the note (an index into the
 *   area's notes).
 *
 * The numbers are checked by a hand loop as each area is decoded (every
 * number's type, range and reference), which names the area and the
 * position of a bad number.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../errors.js';

/** The format name written in the file. */
export const DFE_PANEL_FORMAT = 'carecast-dfe-panel';

/** The format version written in the file. */
export const DFE_PANEL_VERSION = 2;

/** What separates the header from the areas' data in the file: the areas follow, one per line. */
export const DFE_PANEL_DATA_START = ',"data":[\n';

/** What stands for a number in a note template. */
export const NOTE_NUMBER_MARK = '{}';

/** What joins the segments of a note (each segment has its own template). */
export const NOTE_SEPARATOR = '; ';

/**
 * The bits of a point's flags in `data`: which optional parts follow the
 * head, and the order of the point's keys.
 */
export const POINT_FLAGS = {
  /** The value is `null` (no value follows). */
  nullValue: 1,
  /** The point is suppressed: a marker (index into `tables.markers`) follows. */
  suppressed: 2,
  /** The suppression has an upper bound, which follows. */
  upper: 4,
  /** The point's keys are `year, value, suppressed, provenance` (else `suppressed` comes last). */
  suppressedFirst: 8,
  /** The provenance has no line (else the line minus the row's first line follows). */
  noLine: 16,
  /** The provenance has no cell (else the head holds its index into `tables.cells`). */
  noCell: 32,
  /** The provenance has a note: an index into the area's notes follows. */
  note: 64,
} as const;

const KINDS = ['sfr', 'numberAndRate', 'timeSeries', 'characteristics', 'started', 'ceased'] as const;
const SERIES_KINDS = ['snapshot', 'flow', 'amount', 'rate', 'share'] as const;
const UNITS = ['children', 'placements', 'gbp', 'gbp_per_week', 'per_10k', 'share', 'carers', 'beds', 'homes', 'days'] as const;

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

// The keys in the order the panel gives them (zod writes its output in this order).
const PanelAreaSchema = z.strictObject({
  name: z.string().min(1),
  level: z.enum(['national', 'region', 'local_authority']),
  code: z.string().min(1).optional(),
  oldCode: z.string().min(1).optional(),
  formerCodes: z.array(z.string().min(1)).min(1).optional(),
  aliases: z.array(z.string().min(1)).min(1).optional(),
});

/** The zod schema of the bundle's header: everything but `data` (strict: unknown keys are errors). */
export const DfePanelBundleHeaderSchema = z.strictObject({
  format: z.literal(DFE_PANEL_FORMAT),
  version: z.literal(DFE_PANEL_VERSION),
  description: z.string(),
  licence: z.string(),
  attribution: z.string(),
  command: z.string(),
  sources: z.array(BundleSourceSchema).min(1),
  checks: z.array(z.strictObject({ name: z.string().min(1), compared: z.number().int().nonnegative(), exceptions: z.array(z.string()) })),
  panel: z.strictObject({
    years: z.array(z.number().int()),
    missingYears: z.array(z.number().int()),
    notes: z.array(z.string()),
    areas: z.array(PanelAreaSchema),
  }),
  tables: z.strictObject({
    measures: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.tuple([z.enum(SERIES_KINDS), z.enum(UNITS)])),
    keys: z.array(z.string().regex(/^[a-z][a-z0-9_]*(\|[a-zA-Z][a-zA-Z0-9]*=[a-z0-9_]+)?$/)),
    cells: z.array(z.string()),
    markers: z.array(z.string().min(1)),
    notes: z.array(z.string()),
  }),
});

/** The zod schema of the whole bundle file; the numbers of `data` are checked further as they are decoded. */
export const DfePanelBundleSchema = DfePanelBundleHeaderSchema.extend({ data: z.array(z.array(z.number())) });

/** The bundle's header. */
export type DfePanelBundleHeader = z.infer<typeof DfePanelBundleHeaderSchema>;

/** The whole bundle file, as parsed. */
export type DfePanelBundle = z.infer<typeof DfePanelBundleSchema>;

/** One source file as the bundle records it. */
export type DfePanelBundleSource = DfePanelBundleHeader['sources'][number];

/** A bundle read: its header, and each area's data parsed when asked for. */
export interface DfePanelBundleParts {
  /** The header, validated. */
  readonly header: DfePanelBundleHeader;
  /** How many areas have data. */
  readonly areaCount: number;
  /**
   * One area's data, parsed (not yet checked: the reader does that).
   *
   * @param index - the area's index in `header.panel.areas`
   */
  areaData(index: number): unknown;
}

function problemsOf(error: z.ZodError, source: string, prefix: string): CarecastInputError {
  return new CarecastInputError(error.issues.slice(0, 20).map((i) => ({ source, field: [prefix, ...i.path.map(String)].filter((x) => x !== '').join('.'), message: i.message, fix: 'rebuild the file with npm run build:seeds' })));
}

/** A file's lines, split at each `\n` (the last line is what follows the final newline). */
interface Lines {
  readonly count: number;
  text(index: number): string;
}

function textLines(text: string): Lines {
  const lines = text.split('\n');
  return { count: lines.length, text: (i) => lines[i] };
}

/** Lines of the file's bytes, each decoded only when asked for (the file is never held as one string). */
function byteLines(bytes: Uint8Array): Lines {
  const starts = [0];
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) starts.push(at + 1);
  const decoder = new TextDecoder();
  return { count: starts.length, text: (i) => decoder.decode(bytes.subarray(starts[i], i + 1 < starts.length ? starts[i + 1] - 1 : bytes.length)) };
}

/**
 * Read the bundle file: parse and validate the header only, and find each
 * area's line, parsed when it is asked for. Given the file's bytes, only
 * the header and the lines asked for are decoded into strings.
 *
 * @param content - the file's text, or its bytes (UTF-8)
 * @param source - the file name, for messages
 * @returns the header and the areas' data
 * @throws `CarecastInputError` when the file is not laid out as the format says, the header is not valid JSON, or it does not fit its schema
 * @example
 * ```ts
 * const parts = readDfePanelBundle(readFileSync('seeds/dfe-panel.json'), 'seeds/dfe-panel.json');
 * parts.header.sources.length; // 13
 * parts.areaData(0); // England's numbers
 * ```
 */
export function readDfePanelBundle(content: string | Uint8Array, source: string): DfePanelBundleParts {
  const bad = (message: string) => new CarecastInputError([{ source, message, fix: 'rebuild the file with npm run build:seeds' }]);
  const lines = typeof content === 'string' ? textLines(content) : byteLines(content);
  const head = lines.text(0);
  const start = DFE_PANEL_DATA_START.slice(0, -1);
  if (!head.endsWith(start)) throw bad(`the first line does not end with ${JSON.stringify(start)}: not a ${DFE_PANEL_FORMAT} file of version ${DFE_PANEL_VERSION}`);
  let json: unknown;
  try {
    json = JSON.parse(`${head.slice(0, -start.length)}}`);
  } catch (e) {
    throw bad(`the header is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = DfePanelBundleHeaderSchema.safeParse(json);
  if (!parsed.success) throw problemsOf(parsed.error, source, '');
  const header = parsed.data;
  const n = header.panel.areas.length;
  if (lines.count !== n + 3 || lines.text(n + 1) !== ']}' || lines.text(n + 2) !== '') throw bad(`expected ${n} lines of data (one per area), then "]}" and the end of the file`);
  return {
    header,
    areaCount: n,
    areaData(index: number): unknown {
      if (!(index >= 0 && index < n)) throw bad(`no area ${index} (${n} areas)`);
      const line = lines.text(index + 1);
      const last = index === n - 1;
      if (line.endsWith(',') === last) throw bad(`the data of area ${index} (line ${index + 2} of the file) is not laid out as the format says`);
      try {
        return JSON.parse(last ? line : line.slice(0, -1));
      } catch (e) {
        throw new CarecastInputError([{ source, field: `data.${index}`, message: `not valid JSON: ${(e as Error).message}`, fix: 'rebuild the file with npm run build:seeds' }]);
      }
    },
  };
}

/**
 * Validate an already parsed bundle file with the strict schema (the
 * header, and `data` as arrays of numbers, one per area).
 *
 * @param json - the parsed JSON
 * @param source - the file name, for messages
 * @returns the header and the areas' data
 * @throws `CarecastInputError` naming every field that does not fit the schema (the first 20)
 * @example
 * ```ts
 * const parts = parseDfePanelBundle(JSON.parse(readFileSync('seeds/dfe-panel.json', 'utf8')), 'seeds/dfe-panel.json');
 * ```
 */
export function parseDfePanelBundle(json: unknown, source: string): DfePanelBundleParts {
  const parsed = DfePanelBundleSchema.safeParse(json);
  if (!parsed.success) throw problemsOf(parsed.error, source, '');
  const { data, ...header } = parsed.data;
  return { header, areaCount: data.length, areaData: (index: number): unknown => data[index] };
}
