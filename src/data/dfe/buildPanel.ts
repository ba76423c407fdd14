/**
 * Build the DfE panel from cells: every area's series and breakdowns, each
 * point with the file, line and column it came from.
 *
 * @module
 */
import { ENGLISH_REGIONS } from '../loaders/csvText.js';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { mergeAnnualSeries } from '../mergeSeries.js';
import { MEASURES, type AnnualPoint, type AnnualSeries, type SeriesKind } from '../schemas.js';
import { areaId, areaRegistry, yearRanges } from './areas.js';
import { categoryComparator, deriveBlock } from './breakdowns.js';
import { dfeCellsFrom, splitCellKey, type DfeCell, type DfeCellSet, type DfeCellSource, type DfePanelSources } from './cells.js';
import { DFE_PANEL_BREAKDOWNS, DFE_PANEL_TOTALS, type DfePanel, type DfePanelArea, type DfePanelSeries } from './panelTypes.js';

/** Options for building the panel. */
export interface DfePanelBuildOptions {
  /**
   * When two sources give different values for the same local authority
   * and year (for example an SFR table and an EES file for the same year):
   * throw (default), or keep the SFR (`'first'`) or EES (`'last'`) value.
   * The project's sources do not overlap in years. For England and the
   * regions (rounded to the nearest 10 and revised between publications)
   * the EES value always wins, the time series first; the other value is
   * recorded in the point's provenance note.
   */
  readonly prefer?: 'first' | 'last';
}

const HEADLINE: Readonly<Record<string, { kind: SeriesKind; unit: AnnualSeries['unit'] }>> = {
  [MEASURES.childrenInCare]: { kind: 'snapshot', unit: 'children' },
  [MEASURES.started]: { kind: 'flow', unit: 'children' },
  [MEASURES.ceased]: { kind: 'flow', unit: 'children' },
  [MEASURES.population]: { kind: 'snapshot', unit: 'children' },
  [MEASURES.ratePer10k]: { kind: 'rate', unit: 'per_10k' },
};

/** The order sources are merged in: SFR first, then EES number-and-rate (oldest first), long files, the time series last. */
function sourceRank(s: DfeCellSource): number {
  const rank = { sfr: 0, numberAndRate: 1, characteristics: 2, started: 2, ceased: 2, timeSeries: 3 }[s.kind];
  return rank * 10000 + (s.years.length > 0 ? Math.max(...s.years) : 0);
}

function cellPoint(c: DfeCell): AnnualPoint {
  const p: AnnualPoint = { year: c.year, value: c.value.value, provenance: { source: c.source, line: c.line, cell: c.column } };
  if (c.value.suppressed) p.suppressed = { ...c.value.suppressed };
  return p;
}

function seriesOf(key: string, area: string, points: AnnualPoint[]): AnnualSeries {
  const { measure, dimension, category } = splitCellKey(key);
  const h = HEADLINE[measure] ?? { kind: 'snapshot' as const, unit: 'children' as const };
  return { frequency: 'annual', measure, kind: h.kind, unit: h.unit, breakdown: dimension !== undefined ? { [dimension]: category! } : {}, area, points };
}

function areasOf(set: DfeCellSet) {
  const rank = new Map(set.sources.map((s) => [s.name, sourceRank(s)]));
  const byArea = new Map<string, DfeCell[]>();
  for (const c of set.cells) {
    const id = areaId(c.area);
    const list = byArea.get(id);
    if (list) list.push(c);
    else byArea.set(id, [c]);
  }
  // Local authorities with at least one published children-in-care number.
  const withData = new Set([...byArea].filter(([id, cs]) => !id.startsWith('la:') || cs.some((c) => c.key === MEASURES.childrenInCare && c.value.value !== null)).map(([id]) => id));
  const registry = areaRegistry(set.cells, withData, (source) => rank.get(source) ?? 0);
  return { rank, byArea, withData, registry };
}

/**
 * Build the panel from cells (pure: no file access): the reference
 * derivation. `scripts/build-seeds.ts` runs it on the raw files and
 * bundles the result (`seeds/dfe-panel.json` holds the derived panel, which
 * `loadDfePanel()` decodes without deriving anything).
 *
 * @param set - the cells and their sources
 * @param options - which source wins where two give a local authority's year differently
 * @returns the panel
 * @throws `CarecastInputError` when two sources give different values for a local authority's year and `options.prefer` is not set
 * @example
 * ```ts
 * const panel = panelFromCells(dfeCellsFrom(readDfePanelFolder('data/dfe').sources));
 * ```
 */
export function panelFromCells(set: DfeCellSet, options: DfePanelBuildOptions = {}): DfePanel {
  const { rank, byArea, withData, registry } = areasOf(set);
  const notes: string[] = [];
  const problems: InputProblem[] = [];
  const out = new Map<string, DfePanelSeries>();
  const areas: DfePanelArea[] = [];
  const counter = { derived: 0 };
  const splitKeys = new Map<string, ReturnType<typeof splitCellKey>>();
  const sourceIndex = new Map(set.sources.map((s, i) => [s.name, i]));
  const mdIndex = new Map<string, number>();
  const fullKeys = new Map<string, Map<string, string>>();
  const fullKey = (measure: string, k: string): string => {
    let m = fullKeys.get(measure);
    if (!m) fullKeys.set(measure, (m = new Map()));
    let f = m.get(k);
    if (f === undefined) m.set(k, (f = `${measure}|${k}`));
    return f;
  };
  for (const [id, cells] of byArea) {
    const area = registry.byId.get(id)!;
    if (!withData.has(id)) {
      const markers = [...new Set(cells.filter((c) => c.key === MEASURES.childrenInCare).map((c) => c.value.suppressed?.marker ?? 'missing'))];
      notes.push(`${area.name}${area.oldCode ? ` (${area.oldCode})` : ''}: no published children-in-care number (${markers.map((m) => `"${m}"`).join(', ') || 'no rows'}); left out.`);
      continue;
    }
    // Each series' points from every source, with the source's rank.
    const parts = new Map<string, { p: AnnualPoint; rank: number }[]>();
    const put = (key: string, source: string, p: AnnualPoint) => {
      const list = parts.get(key);
      const entry = { p, rank: rank.get(source) ?? 0 };
      if (list) list.push(entry);
      else parts.set(key, [entry]);
    };
    // Blocks: (source, year, measure, dimension) → category → cell.
    const blocks = new Map<number, { source: string; year: number; measure: string; dimension: string; cells: Map<string, DfeCell> }>();
    const headline = new Map<number, DfeCell>();
    for (const c of cells) {
      let split = splitKeys.get(c.key);
      if (!split) splitKeys.set(c.key, (split = splitCellKey(c.key)));
      const { measure, dimension, category } = split;
      const md = dimension === undefined ? measure : `${measure}|${dimension}`;
      let mi = mdIndex.get(md);
      if (mi === undefined) mdIndex.set(md, (mi = mdIndex.size));
      const bk = ((sourceIndex.get(c.source) ?? 0) * 4000 + c.year) * 256 + mi;
      if (dimension === undefined) {
        if (HEADLINE[measure]) put(c.key, c.source, cellPoint(c));
        headline.set(bk, c);
        continue;
      }
      let b = blocks.get(bk);
      if (!b) blocks.set(bk, (b = { source: c.source, year: c.year, measure, dimension, cells: new Map() }));
      b.cells.set(category!, c);
    }
    for (const b of blocks.values()) {
      const hk = ((sourceIndex.get(b.source) ?? 0) * 4000 + b.year) * 256 + (mdIndex.get(b.measure) ?? -1);
      // The block's total: its own Total row, else the measure in the same file, else (when the Total row is
      // suppressed) the number-and-rate figure, which the long files' Totals equal (dfeCellChecks).
      let total = b.cells.get('total') ?? headline.get(hk);
      if (total?.value.value == null) {
        const nr = set.sources.findIndex((s) => s.kind === 'numberAndRate' && s.years.includes(b.year));
        const alt = nr >= 0 ? headline.get((nr * 4000 + b.year) * 256 + (mdIndex.get(b.measure) ?? -1)) : undefined;
        if (alt?.value.value != null) total = alt;
      }
      const points = deriveBlock(area.level, b.measure, b.dimension, b.cells, total, counter);
      for (const [k, p] of points) put(fullKey(b.measure, k), b.source, p);
    }
    const merged = new Map<string, AnnualSeries>();
    for (const [key, entries] of parts) {
      // Years given by one source are taken as they are; only years two sources give are merged (and checked).
      entries.sort((a, b) => a.p.year - b.p.year || a.rank - b.rank);
      const points: AnnualPoint[] = [];
      for (let i = 0; i < entries.length; ) {
        let j = i + 1;
        while (j < entries.length && entries[j].p.year === entries[i].p.year) j++;
        if (j === i + 1) {
          points.push(entries[i].p);
          i = j;
          continue;
        }
        const year = entries[i].p.year;
        try {
          const prefer = area.level === 'local_authority' ? options.prefer : 'last';
          const m = mergeAnnualSeries(
            entries.slice(i, j).map((e) => seriesOf(key, area.name, [e.p])),
            { area: area.name, ...(prefer ? { prefer } : {}) },
          );
          points.push(...m.points.filter((p) => p.year === year));
        } catch (e) {
          if (!(e instanceof CarecastInputError)) throw e;
          problems.push(...e.problems);
        }
        i = j;
      }
      merged.set(key, seriesOf(key, area.name, points));
    }
    const group = (measure: string, dims: readonly string[]): Record<string, Record<string, AnnualSeries>> =>
      Object.fromEntries(
        dims.map((d) => {
          const prefix = `${measure}|${d}=`;
          const cats = [...merged.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
          return [d, Object.fromEntries(cats.sort(categoryComparator(measure, d)).map((c) => [c, merged.get(prefix + c)!]))];
        }),
      );
    if (!merged.has(MEASURES.childrenInCare)) continue;
    // The fields in the order DFE_PANEL_TOTALS and DFE_PANEL_BREAKDOWNS list them (the bundled file is decoded in the same order).
    const fields: Record<string, unknown> = { area };
    for (const [field, measure] of DFE_PANEL_TOTALS) if (merged.has(measure)) fields[field] = merged.get(measure);
    for (const [field, measure, dims] of DFE_PANEL_BREAKDOWNS) fields[field] = group(measure, dims);
    const entry = fields as unknown as DfePanelSeries;
    areas.push(area);
    out.set(area.name, entry);
  }
  if (problems.length > 0) throw new CarecastInputError(problems);

  const regionOrder = (a: DfePanelArea) => ENGLISH_REGIONS.findIndex((r) => r.code === a.code);
  const levelOrder = { national: 0, region: 1, local_authority: 2 } as const;
  areas.sort((a, b) => levelOrder[a.level] - levelOrder[b.level] || (a.level === 'region' ? regionOrder(a) - regionOrder(b) : 0) || a.name.localeCompare(b.name, 'en'));
  const series = new Map(areas.map((a) => [a.name, out.get(a.name)!]));

  const laYears = [...new Set(set.cells.filter((c) => c.area.level === 'local_authority').map((c) => c.year))].sort((a, b) => a - b);
  const missingYears: number[] = [];
  for (let y = laYears[0]; laYears.length > 0 && y <= laYears[laYears.length - 1]; y++) if (!laYears.includes(y)) missingYears.push(y);
  const las = [...withData].filter((id) => id.startsWith('la:')).length;
  const regionCount = [...withData].filter((id) => id.startsWith('region:')).length;
  const head: string[] = [
    `Sources: ${set.sources.map((s) => `${s.name} (${s.kind}${s.years.length > 0 ? `, ${yearRanges(s.years)}` : ', no years used'})`).join('; ')}.`,
    `${las} local authorities joined on the DfE code (never on the name alone), England and ${regionCount} regions. Names and codes are the latest published; former ONS codes and names are kept as aliases.`,
    'Where publications overlap, each year comes from the newest publication that has it (the 2024 publication revised 2020-2023).',
  ];
  if (missingYears.length > 0) {
    head.push(
      `No local authority source covers ${yearRanges(missingYears)}: ${missingYears.length === 1 ? 'that year is' : 'those years are'} missing from every local authority series, not interpolated ` +
        '(forecast() fills interior gaps by straight-line interpolation and reports it).',
    );
  }
  if (withData.has('national')) {
    head.push('England and regional figures are rounded to the nearest 10 by DfE; where publications differ for them, the latest is kept (the time series first) and the other value is noted in the point\u2019s provenance.');
  }
  if (counter.derived > 0) head.push(`${counter.derived} suppressed local authority figures are derived exactly as a published total minus the published rest of its breakdown (each says so in its provenance note).`);
  const sources = set.sources.map((s) => ({ name: s.name, kind: s.kind, years: [...s.years] }));
  return { areas, series, years: laYears, missingYears, notes: [...head, ...registry.notes, ...notes.sort()], sources };
}

/**
 * Build the DfE panel from parsed raw files (pure: no file access). See
 * `loadDfePanel` for reading them from a folder, or for the bundled panel.
 *
 * @param sources - the parsed files (any may be left out)
 * @param options - which source wins where two give a local authority's year differently
 * @returns the panel
 * @throws `CarecastInputError` when no source is given, a long file is given in the wrong place, or sources disagree (see {@link DfePanelBuildOptions.prefer})
 * @example
 * ```ts
 * const panel = buildDfePanel({ sfr: readSfrFiles(files), numberAndRate: [readDfeEes(text, 'cla_number_and_rate_per_10k_children_2020_2024.csv')] });
 * panel.series.get('Derby')?.childrenInCare.points.at(-1)?.value; // 598 (2024)
 * ```
 */
export function buildDfePanel(sources: DfePanelSources, options: DfePanelBuildOptions = {}): DfePanel {
  return panelFromCells(dfeCellsFrom(sources), options);
}

