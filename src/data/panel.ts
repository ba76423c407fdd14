/**
 * The DfE panel: every English local authority, England and the regions,
 * children looked after at 31 March 2011-2024 (2018 is not published for
 * local authorities), starters, leavers, the 0-17 population and rate, and
 * their placement, provider, age, UASC and reason breakdowns, each point
 * with the file, line and column it came from.
 *
 * `loadDfePanel()` gives the panel bundled with carecast
 * (`seeds/dfe-panel.json`, built by `npm run build:seeds` from the raw
 * DfE files); `loadDfePanel({ dir })` builds the same panel from a folder
 * of raw files, and {@link buildDfePanel} from parsed files.
 *
 * ## Sources
 *
 * - SFR local authority tables `la_cla_31_march_YYYY.csv`, 2011-2017:
 *   children looked after at 31 March by placement, provider, age, UASC.
 * - EES number-and-rate files `cla_number_and_rate_per_10k_children_*.csv`:
 *   children looked after, starters, leavers, 0-17 population and rate.
 *   Each year comes from the newest publication that has it: 2019 from the
 *   2023 publication, 2020-2024 from the 2024 publication (which revised
 *   2020-2023).
 * - EES long files, 2020-2024: characteristics at 31 March (placement,
 *   place provider, age, UASC), starters (age, UASC), leavers (reason, age).
 * - The England time series `cla_time_series_*.csv`, 1994-2024 (children
 *   looked after, starters, leavers, adoptions, UASC).
 *
 * ## Joining: by the DfE code, never by the name alone
 *
 * Local authorities are joined across years and files on the three-digit
 * DfE code. Authorities created or abolished by a reorganisation are
 * separate series (Dorset county 835 and the Dorset unitary 838;
 * Bournemouth 837 and Poole 836 and BCP 839; Northamptonshire 928 and
 * North 940 and West 941 Northamptonshire; Cumbria 909 and Cumberland 942
 * and Westmorland and Furness 943), and authorities that share a name are
 * called `Dorset (835)` and `Dorset (838)`. North Yorkshire (815) and
 * Somerset (933), which changed ONS code in 2023 with the same
 * boundaries, are one series each, with both codes. See
 * {@link LA_REORGANISATIONS}.
 *
 * ## Gaps and suppression
 *
 * 2018 is reported in {@link DfePanel.missingYears} and left out of the
 * local authority series: nothing is interpolated here ({@link forecast}
 * fills interior gaps by straight-line interpolation, and says so).
 * England's series come from the time series and have no gap. Suppressed
 * values are `null` with their marker (and an upper bound where the rest of
 * the breakdown gives one), never zero; see the breakdowns' notes for the
 * values derived exactly as a total minus the rest.
 *
 * @module
 */
import { findArea } from './loaders/findArea.js';
import type { DfeEesTable } from './loaders/dfeEes.js';
import type { SfrPanel } from './loaders/sfr.js';
import { MEASURES, type AnnualSeries, type Area, type Dataset } from './schemas.js';
import { buildDfePanel, type DfePanelBuildOptions } from './dfe/buildPanel.js';
import { bundledDfePanel } from './dfe/bundled.js';
import { dfePanelFromDisk, type DfePanelFiles, type DfePanelFolderOptions } from './dfe/panelFiles.js';
import type { DfePanel, DfePanelSeries } from './dfe/panelTypes.js';

export { mergeAnnualSeries, type MergeAnnualSeriesOptions } from './mergeSeries.js';
export { buildDfePanel, type DfePanelBuildOptions } from './dfe/buildPanel.js';
export type { DfePanelSources } from './dfe/cells.js';
export { LA_REORGANISATIONS, type LaReorganisation } from './dfe/areas.js';
export type { DfePanelFiles, DfePanelFolderOptions } from './dfe/panelFiles.js';
export type {
  DfePanel,
  DfePanelArea,
  DfePanelSeries,
  DfePanelSourceInfo,
  DfeGroupSeries,
  DfeStockBreakdowns,
  DfeStartedBreakdowns,
  DfeCeasedBreakdowns,
  DfePlacementGroup,
  DfeProviderGroup,
  DfeProviderCategory,
  DfeCeasedReasonGroup,
} from './dfe/panelTypes.js';

/** Options for {@link dfePanelFrom}: which source wins where two give a year. */
export type DfePanelOptions = DfePanelBuildOptions;

function preferOf(o: DfePanelBuildOptions): DfePanelBuildOptions {
  return o.prefer ? { prefer: o.prefer } : {};
}

/**
 * Join an SFR panel and one EES number-and-rate table into a panel (pure:
 * no file access): the same as {@link buildDfePanel} with only those two
 * sources.
 *
 * @param sfrPanel - the SFR tables, from `readSfrFiles` or `loadSfrFolder`
 * @param eesTable - the EES file, from `readDfeEes`
 * @param options - which source wins where both give a local authority's year (by default, disagreement throws)
 * @returns the panel
 * @throws `CarecastInputError` when the two sources give different values for the same authority and year and `options.prefer` is not set
 * @example
 * ```ts
 * const panel = dfePanelFrom(readSfrFiles(files), readDfeEes(text, 'cla_number_and_rate_per_10k_children_2019_2021.csv'));
 * panel.series.get('Derby')?.childrenInCare.points.at(-1)?.value; // 642 (2021)
 * panel.missingYears; // [2018]
 * ```
 */
export function dfePanelFrom(sfrPanel: SfrPanel, eesTable: DfeEesTable, options: DfePanelOptions = {}): DfePanel {
  return buildDfePanel({ sfr: sfrPanel, numberAndRate: [eesTable] }, preferOf(options));
}

/**
 * The DfE panel: with no argument, the panel bundled with carecast (read
 * from `seeds/dfe-panel.json` on first use, checked against its recorded
 * SHA-256, and cached for the process: the file holds the panel as
 * {@link buildDfePanel} derives it from the raw files, so nothing is
 * derived at run time); with `{ dir }`, the same panel built from a folder
 * of raw DfE files; with `{ sfrDir, eesFile }`, a panel of the SFR tables
 * and one number-and-rate file (the folder forms only in Node; in a
 * browser, the bundled panel after `await loadBundledData()`).
 *
 * @param from - nothing for the bundled panel, or where the raw files are
 * @returns the panel: areas (England, regions, local authorities), their series and breakdowns, the years covered, the missing years (2018) and notes
 * @throws `CarecastInputError` when the bundled file is missing or changed, a folder or file cannot be read, a file is invalid, or sources disagree
 * @example
 * ```ts
 * const panel = loadDfePanel();
 * const derby = panel.series.get('Derby')!;
 * derby.childrenInCare.points.at(-1); // { year: 2024, value: 598, provenance: { source: 'ees_2024/cla_number_and_rate_per_10k_children_2020_2024.csv', line: ..., cell: 'number' } }
 * derby.breakdowns.placement.fostering?.points.at(-1)?.value; // 426
 * panel.missingYears; // [2018]
 * ```
 */
export function loadDfePanel(from?: DfePanelFolderOptions | DfePanelFiles): DfePanel {
  if (from === undefined) return bundledDfePanel().panel();
  return dfePanelFromDisk(from);
}

/**
 * One area of the bundled panel, decoded on its own (quicker than the
 * whole panel; the same object as the area's entry in `loadDfePanel()`).
 *
 * @param query - a name (case and punctuation ignored), ONS code (current or former), DfE code, `England` or a region
 * @returns the area's series
 * @throws `CarecastInputError` for an unknown area (suggesting up to three close names) or an ambiguous one (such as `Dorset`, listing the codes)
 * @example
 * ```ts
 * loadDfePanelArea('E06000015').area.name; // 'Derby'
 * loadDfePanelArea('E10000023').area.code; // 'E06000065' (North Yorkshire, by its former code)
 * ```
 */
export function loadDfePanelArea(query: string): DfePanelSeries {
  const reader = bundledDfePanel();
  return reader.area(findArea(reader.areas, query, 'the DfE panel'));
}

/**
 * Find one area's series in a panel by name (case and punctuation
 * ignored), ONS code (current or former), DfE code, or a name it was
 * published under (`Durham` for `County Durham`).
 *
 * @param panel - the panel
 * @param query - what the user asked for: `Derby`, `E06000015`, `831`, `England`, `North East`
 * @returns the area's series
 * @throws `CarecastInputError` for an unknown area (suggesting up to three close names) or an ambiguous one (`Dorset`: the county 835 and the unitary 838)
 * @example
 * ```ts
 * findPanelArea(loadDfePanel(), '815').area.formerCodes; // ['E10000023'] (North Yorkshire)
 * ```
 */
export function findPanelArea(panel: DfePanel, query: string): DfePanelSeries {
  const i = findArea(panel.areas, query, 'the DfE panel');
  return panel.series.get(panel.areas[i].name)!;
}

/**
 * One series per area of a level, keyed by area name: the input
 * `backtestPanel` takes. Areas without the series are left out.
 *
 * @param panel - the panel
 * @param pick - which series (default: children looked after at 31 March)
 * @param level - which areas (default: local authorities)
 * @returns the series by area name, in panel order
 * @example
 * ```ts
 * const cic = panelSeries(loadDfePanel());                       // every LA's children in care
 * const starters = panelSeries(loadDfePanel(), (s) => s.started); // every LA's starters
 * ```
 */
export function panelSeries(
  panel: DfePanel,
  pick: (s: DfePanelSeries) => AnnualSeries | undefined = (s) => s.childrenInCare,
  level: Area['level'] = 'local_authority',
): Map<string, AnnualSeries> {
  const out = new Map<string, AnnualSeries>();
  for (const a of panel.areas) {
    if (a.level !== level) continue;
    const s = pick(panel.series.get(a.name)!);
    if (s) out.set(a.name, s);
  }
  return out;
}

/**
 * One area of the panel as a {@link Dataset}: the totals (`children_in_care`,
 * `started`, `ceased`, `population_0_17`, `rate_per_10k`) and every
 * breakdown series (`children_in_care` by `placement`, `provider`, `age`,
 * `uasc`, ...; `started` by `age` and `uasc`; `ceased` by `reasonGroup`,
 * `reason`, `age` and `ageGroup`), so that `findSeries`,
 * `ageingInputFromAnnual` and the CLI can use it as they use any dataset.
 *
 * @param entry - the area's series, from {@link findPanelArea} or `panel.series.get(name)`
 * @param notes - notes to carry (default: a note on the sources)
 * @returns the dataset
 * @example
 * ```ts
 * const ds = dfePanelDataset(findPanelArea(loadDfePanel(), 'Derby'));
 * findSeries(ds, 'children_in_care', { placement: 'fostering' }).points.at(-1)?.value; // 426 (2024)
 * ```
 */
export function dfePanelDataset(entry: DfePanelSeries, notes?: readonly string[]): Dataset {
  const series: AnnualSeries[] = [entry.childrenInCare];
  for (const s of [entry.started, entry.ceased, entry.population, entry.rate]) if (s) series.push(s);
  for (const groups of [entry.breakdowns, entry.startedBreakdowns, entry.ceasedBreakdowns]) {
    for (const byGroup of Object.values(groups)) for (const s of Object.values(byGroup as Record<string, AnnualSeries>)) series.push(s);
  }
  const a = entry.area;
  const years = entry.childrenInCare.points.map((p) => p.year);
  return {
    name: `${a.name}: DfE children looked after (carecast DfE panel)`,
    area: { name: a.name, level: a.level, ...(a.code ? { code: a.code } : {}), ...(a.oldCode ? { oldCode: a.oldCode } : {}) },
    series,
    notes: notes
      ? [...notes]
      : [
          `DfE "Children looked after in England including adoptions": ${a.name}, children looked after at 31 March ${years[0]}-${years[years.length - 1]}${a.level === 'local_authority' ? ' (2018 not published for local authorities)' : ''}; every point names its file, line and column.`,
          `${MEASURES.childrenInCare}: at 31 March; started/ceased: during the year to 31 March; population_0_17: ONS mid-year estimate of the year before, as DfE published it.`,
          'Suppressed values are null with their marker, never zero.',
        ],
  };
}
