/**
 * What the system model is given for one area, and how it reads it: the
 * stock, the flows and their rates, and each breakdown's history, all as
 * known at a year.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import type { AnnualSeries } from '../data/schemas.js';
import { yearValuesOf, type SeriesInput, type YearValue } from '../data/yearValue.js';
import { flowHistory, type FlowHistory } from './flowFit.js';
import { groupTable, type GroupTable } from './groupTable.js';

/**
 * The series of one area for {@link "carecast"!projectSystem}.
 *
 * @example
 * ```ts
 * const input: SystemInput = {
 *   stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased'),
 *   breakdowns: { placement: { fostering, homes_secure, independent_supported, other } },
 * };
 * projectSystem(input, { to: 2030 });
 * // any LA of the bundled DfE panel, with its placement, provider and age groups and its population:
 * projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2035 });
 * ```
 */
export interface SystemInput {
  /** Children in care at 31 March (the measure `children_in_care` gives the bundled default forecast). */
  readonly stock: SeriesInput;
  /** Children starting to be looked after in the year to 31 March (with `ceased`: the flows are projected). */
  readonly started?: SeriesInput;
  /** Children ceasing to be looked after in the year to 31 March. */
  readonly ceased?: SeriesInput;
  /** The 0-17 population (DfE's published one and a projection), for entry rates per 10,000 children; without it the entry rate is the log of the starters. */
  readonly population?: SeriesPopulation;
  /**
   * Breakdowns of the stock at 31 March: dimension → group → count series
   * (e.g. `placement: { fostering, homes_secure, independent_supported, other }`).
   * Groups that fall short of the total gain an `unallocated` group.
   */
  readonly breakdowns?: Readonly<Record<string, Readonly<Record<string, SeriesInput>>>>;
  /** Breakdowns whose groups partition the total by construction (the DfE panel's, from every published category): their shares are of the groups' own sum, with no remainder group and no check against the total. */
  readonly partitions?: readonly string[];
  /** The area's name (default: the stock series' area). */
  readonly area?: string;
}

/** An area as the model reads it, as known at a year. */
export interface PreparedArea {
  /** The area's name. */
  readonly area: string;
  /** The stock, cut at the year. */
  readonly stock: SeriesInput;
  /** The last year with a stock. */
  readonly stockYear: number;
  /** The stock in that year. */
  readonly openingStock: number;
  /** The rates (`null` when no flows were given). */
  readonly flows: FlowHistory | null;
  /** The population. */
  readonly population?: SeriesPopulation;
  /** Each breakdown's history, by dimension. */
  readonly tables: ReadonlyMap<string, GroupTable>;
}

/**
 * A series cut at a year (later points left out), keeping its measure and area.
 *
 * @param s - the series
 * @param upTo - the last year kept
 * @returns the cut series
 * @example
 * ```ts
 * cutSeries(derby.childrenInCare, 2021).points.at(-1)?.year; // 2021
 * ```
 */
export function cutSeries<S extends SeriesInput>(s: S, upTo: number): S {
  if (Array.isArray(s)) return (s as readonly YearValue[]).filter((p) => p.year <= upTo) as unknown as S;
  const a = s as AnnualSeries;
  return { ...a, points: a.points.filter((p) => p.year <= upTo) } as S;
}

/**
 * Read an area's input as known at a year.
 *
 * @param input - the area's series
 * @param upTo - the last year read (default: all)
 * @returns the prepared area
 * @throws CarecastInputError for a stock with no value, bad counts, or bad breakdowns
 * @example
 * ```ts
 * prepareArea(dfeSystemInput(loadDfePanelArea('Derby')), 2022).stockYear; // 2022
 * ```
 */
export function prepareArea(input: SystemInput, upTo = Infinity): PreparedArea {
  const { area: stockArea, points } = yearValuesOf(input.stock, 'stock');
  const area = input.area ?? stockArea;
  const known = points.filter((p) => p.value !== null && p.year <= upTo);
  if (known.length === 0) {
    throw new CarecastInputError([{ source: `${area} stock`, field: 'value', message: `no children in care${Number.isFinite(upTo) ? ` up to ${upTo}` : ''}`, fix: 'give children in care at 31 March for at least one year' }]);
  }
  const last = known[known.length - 1];
  const stockYear = last.year;
  const stock = Number.isFinite(upTo) ? cutSeries(input.stock, stockYear) : input.stock;
  if (!Number.isFinite(upTo)) {
    // as given (not cut for a fit): nothing may run past the stock
    const after = (s: SeriesInput | undefined, label: string): string[] =>
      s === undefined ? [] : yearValuesOf(s, label).points.some((p) => p.value !== null && p.year > stockYear) ? [label] : [];
    const late = [
      ...after(input.started, 'started'),
      ...after(input.ceased, 'ceased'),
      ...Object.entries(input.breakdowns ?? {}).flatMap(([dim, groups]) => Object.entries(groups).flatMap(([g, s]) => after(s, `${dim} ${g}`))),
    ];
    if (late.length > 0) {
      throw new CarecastInputError([
        { source: `${area} input`, field: late.join(', '), message: `${late.join(', ')} run${late.length === 1 ? 's' : ''} past the last children-in-care figure (${stockYear})`, fix: 'give children in care at 31 March for every year of the flows and breakdowns' },
      ]);
    }
  }
  const flows = input.started !== undefined || input.ceased !== undefined ? flowHistory(stock, input.started, input.ceased, input.population, stockYear) : null;
  const tables = new Map<string, GroupTable>();
  const partitions = new Set(input.partitions ?? []);
  for (const [dim, groups] of Object.entries(input.breakdowns ?? {})) {
    tables.set(dim, groupTable(dim, groups, { total: stock, partition: partitions.has(dim), upTo: stockYear }));
  }
  return { area, stock, stockYear, openingStock: last.value as number, flows, ...(input.population ? { population: input.population } : {}), tables };
}
