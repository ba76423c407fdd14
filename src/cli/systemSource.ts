/**
 * The system model's input for a command's data source: the one place
 * where `project` and `costs` build it, so the same area, options and seed
 * give the same paths through both.
 *
 * @module
 */
import { breakdownKey } from '../data/breakdown.js';
import { CarecastInputError } from '../data/errors.js';
import { loadDfePanelArea } from '../data/panel.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';
import type { SeedProjection } from '../data/seedFile.js';
import type { PublishedChange } from '../output/systemTable.js';
import { datasetSystemInput } from '../system/datasetInput.js';
import { dfeSystemInput } from '../system/dfeInput.js';
import type { SystemInput } from '../system/input.js';
import { loadTidyCsv } from '../data/loaders/tidyFiles.js';
import { checkNoGaps, loadSource, needTwoYears, optionError, slug, tidyArea, tidyProgress, type SourceOptions } from './common.js';
import { NO_PROGRESS, type Progress } from './progress.js';

/** What {@link systemSource} gives. */
export interface SystemSource {
  /** The system model's input. */
  readonly input: SystemInput;
  /** The dataset as loaded from the source (for a seed: the seed's own figures). */
  readonly dataset: Dataset;
  /** File-name label. */
  readonly label: string;
  /** Projections published in the source's documents (seeds). */
  readonly published: readonly SeedProjection[];
  /** Where the input came from, in words. */
  readonly note: string;
}


/**
 * The system model's input for a command's source:
 *
 * - `--la` alone: the LA of the bundled DfE panel ({@link dfeSystemInput}:
 *   children in care 2011-2024, flows, placement, provider and age groups,
 *   the 0-17 population);
 * - `--seed`: the same bundled DfE data of the seed's area where the panel
 *   has it (the seeds have no flows or groups for every year), with the
 *   seed's published projections beside; otherwise the seed's own series;
 * - `--dfe`, `--tidy`, `--ssda903`: the file's series
 *   ({@link datasetSystemInput}).
 *
 * @param o - the source options
 * @param progress - where reading the source reports progress (default: nowhere)
 * @returns the input, the dataset, a label, published projections and a note
 * @throws CarecastInputError for no or several sources, an unknown seed or area
 * @example
 * ```ts
 * const { input } = systemSource({ la: 'Derby' });
 * projectSystem(input, { to: 2035 });
 * ```
 */
export function systemSource(o: SourceOptions, progress: Progress = NO_PROGRESS): SystemSource {
  if (o.tidy !== undefined && [o.seed, o.dfe, o.ssda903].every((x) => x === undefined)) {
    // the system model takes gaps (a breakdown published in some years only), so the tidy file is read allowing them
    if (o.la === undefined) throw optionError('--la', 'a tidy file needs --la to name the local authority', 'e.g. --tidy data.csv --la Derbyshire');
    const dataset = tidyArea(loadTidyCsv(o.tidy, { allowGaps: true, onProgress: tidyProgress(o.tidy, progress) }), o.la, o.tidy);
    // the series the system model uses: no gaps in the totals, two observed years at least (gaps elsewhere are fine)
    for (const m of ['children_in_care', 'started', 'ceased']) {
      const s = dataset.series.find((x): x is AnnualSeries => x.frequency === 'annual' && x.measure === m && Object.keys(x.breakdown).length === 0);
      if (s === undefined) continue;
      checkNoGaps(s, o.tidy);
      needTwoYears(s, o.tidy);
    }
    return { input: datasetSystemInput(dataset), dataset, label: slug(dataset.area.name), published: [], note: `Data: ${dataset.area.name}'s own series in ${o.tidy}.` };
  }
  const { dataset, label, published } = loadSource(o, progress);
  const onlyLa = o.la !== undefined && [o.seed, o.dfe, o.tidy, o.ssda903].every((x) => x === undefined);
  if (onlyLa || o.seed !== undefined) {
    try {
      const series = loadDfePanelArea(dataset.area.code ?? dataset.area.name);
      const note = onlyLa
        ? `Data: the DfE panel bundled with carecast (${series.area.name}, children in care 2011-2024, flows from 2019, placement and provider groups).`
        : `Data: ${series.area.name} in the DfE panel bundled with carecast (children in care 2011-2024, starters and leavers, placement and provider groups; the seed's own figures lack flows and groups for most years); the seed gives the statement's published figures.`;
      return { input: dfeSystemInput(series), dataset, label, published, note };
    } catch (e) {
      if (!(e instanceof CarecastInputError) || onlyLa) throw e;
    }
  }
  return { input: datasetSystemInput(dataset), dataset, label, published, note: `Data: ${dataset.area.name}'s own series as given.` };
}

const STATEMENT_GROUPS: readonly { readonly key: string; readonly measure: string; readonly group: string; readonly as?: string }[] = [
  { key: '', measure: 'children_in_care', group: 'total' },
  { key: 'placement=fostering', measure: 'placement', group: 'fostering' },
  { key: 'placement=residential', measure: 'placement', group: 'residential' },
  { key: 'provider=internal', measure: 'provider', group: 'in_house', as: 'internal' },
  { key: 'providerType=private_voluntary', measure: 'provider', group: 'external', as: 'private/vol.' },
];

/**
 * The published % changes to a target year that match the system's
 * components: the total, fostering, residential, and the provider groups
 * (a statement's `internal` beside in-house, its private and voluntary
 * beside external; the names say where the definitions differ).
 *
 * @param published - the projections published in the source documents
 * @param targetYear - the year shown
 * @returns the changes and their common base year (undefined when none)
 * @example
 * ```ts
 * publishedChanges(loadSeed('derbyshire').projections, 2035); // fostering +35, residential +148, ... from 2023
 * ```
 */
export function publishedChanges(published: readonly SeedProjection[], targetYear: number): { changes: PublishedChange[]; baseYear?: number } {
  const changes: PublishedChange[] = [];
  let baseYear: number | undefined;
  for (const p of published) {
    if (p.percentChange === undefined || p.targetYear !== targetYear) continue;
    const spec = STATEMENT_GROUPS.find((g) => g.key === breakdownKey(p.breakdown));
    if (!spec || changes.some((c) => c.measure === spec.measure && c.group === spec.group)) continue;
    if (baseYear !== undefined && p.baseYear !== baseYear) continue;
    baseYear = p.baseYear;
    changes.push({ measure: spec.measure, group: spec.group, percentChange: p.percentChange, ...(spec.as ? { as: spec.as } : {}) });
  }
  return { changes, ...(baseYear !== undefined ? { baseYear } : {}) };
}
