/**
 * The shape of the DfE panel: every area's series and breakdowns.
 *
 * @module
 */
import type { AgeBand, PlacementGroup, ProviderGroup } from '../codes.js';
import type { AnnualSeries, Area } from '../schemas.js';

/** One series per group; a group the sources never publish for the area is absent. */
export type DfeGroupSeries<K extends string> = { readonly [G in K]?: AnnualSeries };

/** The four placement groups the EES files allow from 2020 (the SFR tables publish homes, secure units and semi-independent living as one block). */
export type DfePlacementGroup = 'fostering' | 'homes_secure' | 'independent_supported' | 'other';

/** Provider groups: own LA, other LA, private, voluntary, and other (other public provision, parents, provider not reported). */
export type DfeProviderGroup = 'own_la' | 'other_la' | 'private' | 'voluntary' | 'other';

/** The place-provider categories DfE publishes (the SFR columns and the EES categories mean the same). */
export type DfeProviderCategory = 'own_la' | 'other_la' | 'other_public' | 'private' | 'voluntary' | 'parents' | 'not_reported';

/** Groups of the reasons children ceased to be looked after. */
export type DfeCeasedReasonGroup = 'adoption' | 'special_guardianship' | 'returned_home' | 'independent_living' | 'other';

/**
 * Children looked after at 31 March by breakdown: dimension → group →
 * series. Each dimension's groups partition the total in the years they
 * are published, so one dimension can be given as it is to
 * `projectSystem`'s `breakdowns` (e.g. `{ placement: s.breakdowns.placement }`).
 */
export type DfeStockBreakdowns = {
  /** carecast placement groups (fostering, residential, adoption, parents, other): SFR 2011-2017 and EES 2020-2024. */
  readonly placement: DfeGroupSeries<PlacementGroup>;
  /** Fostering, children's homes and secure, independent/semi-independent and supported, other: EES 2020-2024. */
  readonly dfePlacementGroup: DfeGroupSeries<DfePlacementGroup>;
  /** The EES placement categories as published, 2020-2024. */
  readonly dfePlacement: DfeGroupSeries<string>;
  /** The SFR placement columns as published, 2011-2017. */
  readonly sfrPlacement: DfeGroupSeries<string>;
  /** carecast provider groups (internal = own LA + other LA, private, voluntary, other). */
  readonly provider: DfeGroupSeries<ProviderGroup>;
  /** Own provision, other LA, private, voluntary, other. */
  readonly dfeProviderGroup: DfeGroupSeries<DfeProviderGroup>;
  /** The place-provider categories as published. */
  readonly dfeProvider: DfeGroupSeries<DfeProviderCategory>;
  /** Age at 31 March. */
  readonly age: DfeGroupSeries<AgeBand>;
  /** Unaccompanied asylum-seeking children (`not_uasc` from 2020). */
  readonly uasc: DfeGroupSeries<'uasc' | 'not_uasc'>;
};

/** Children who started to be looked after, by breakdown (EES 2020-2024). */
export type DfeStartedBreakdowns = {
  /** Age on starting. */
  readonly age: DfeGroupSeries<AgeBand>;
  /** Unaccompanied asylum-seeking children. */
  readonly uasc: DfeGroupSeries<'uasc' | 'not_uasc'>;
};

/** Children who ceased to be looked after, by breakdown (EES 2020-2024; England's adoptions 1994-2024). */
export type DfeCeasedBreakdowns = {
  /** Reasons grouped: adoption, special guardianship, returned home, independent living (and 18+ staying put, adult social care), other. */
  readonly reasonGroup: DfeGroupSeries<DfeCeasedReasonGroup>;
  /** The reasons as published (see `DFE_CEASED_REASONS`). */
  readonly reason: DfeGroupSeries<string>;
  /** Age on ceasing: `under_1` to `10_15`, and `16_plus` = 16, 17 and 18 and over. */
  readonly age: DfeGroupSeries<AgeBand>;
  /** `16_17` (ceased aged 16 or 17) and `aged_18` (ceased aged 18 or over). */
  readonly ageGroup: DfeGroupSeries<'16_17' | 'aged_18'>;
};

/** An area of the panel: England, a region or a local authority, with every code it has had. */
export interface DfePanelArea extends Area {
  /** ONS codes the area was published under before its current one (e.g. North Yorkshire's E10000023). */
  readonly formerCodes?: readonly string[];
  /** Other names and codes it answers to in a look-up: names as published (e.g. `Dorset` for `Dorset (838)`, `Durham` for `County Durham`) and former codes. */
  readonly aliases?: readonly string[];
}

/** The series the panel holds for one area. */
export interface DfePanelSeries {
  /** The area. */
  readonly area: DfePanelArea;
  /** Children looked after at 31 March (SFR and EES years; England 1994-2024 from the time series). */
  readonly childrenInCare: AnnualSeries;
  /** Children starting to be looked after during the year (EES years; England 1994-2024). */
  readonly started?: AnnualSeries;
  /** Children ceasing to be looked after during the year (EES years; England 1994-2024). */
  readonly ceased?: AnnualSeries;
  /** The 0-17 population as DfE published it (EES years): the ONS mid-year estimate of the year before (mid-2023 for 31 March 2024). */
  readonly population?: AnnualSeries;
  /** Children looked after at 31 March per 10,000 children aged 0-17, as published (EES years). */
  readonly rate?: AnnualSeries;
  /** Children looked after at 31 March by breakdown. */
  readonly breakdowns: DfeStockBreakdowns;
  /** Starters by breakdown. */
  readonly startedBreakdowns: DfeStartedBreakdowns;
  /** Leavers by breakdown. */
  readonly ceasedBreakdowns: DfeCeasedBreakdowns;
}

/** One source file of the panel and the years taken from it. */
export interface DfePanelSourceInfo {
  /** The file, as named in every point's provenance. */
  readonly name: string;
  /** What kind of file it is. */
  readonly kind: 'sfr' | 'numberAndRate' | 'timeSeries' | 'characteristics' | 'started' | 'ceased';
  /** The years taken from it (a newer publication of the same kind supersedes older ones). */
  readonly years: readonly number[];
}

/**
 * Every area's series from the DfE sources, joined on the DfE local authority code.
 *
 * @example
 * ```ts
 * const panel: DfePanel = loadDfePanel();              // the bundled 2011-2024 panel
 * panel.series.get('Derbyshire')?.childrenInCare;      // AnnualSeries, every year the DfE published
 * panel.series.get('Derbyshire')?.breakdowns.placement; // fostering, residential, ... at 31 March
 * panel.missingYears;                                  // [2018]: not published for LAs
 * ```
 */
export interface DfePanel {
  /** The areas: England, the regions, then the local authorities sorted by name. */
  readonly areas: DfePanelArea[];
  /** Each area's series, keyed by its panel name (the `name` of its entry in {@link DfePanel.areas}). */
  readonly series: Map<string, DfePanelSeries>;
  /** The years the local authority sources cover, ascending. */
  readonly years: number[];
  /** Years between the first and last local authority year that no source covers (2018). */
  readonly missingYears: number[];
  /** How the sources were joined: reorganisations, code changes, names told apart, gaps, derived values. */
  readonly notes: string[];
  /** The files the panel was built from. */
  readonly sources: readonly DfePanelSourceInfo[];
}

/**
 * Where each measure's total sits in a {@link DfePanelSeries}, in the
 * order the fields are listed: field, measure.
 */
export const DFE_PANEL_TOTALS = [
  ['childrenInCare', 'children_in_care'],
  ['started', 'started'],
  ['ceased', 'ceased'],
  ['population', 'population_0_17'],
  ['rate', 'rate_per_10k'],
] as const satisfies readonly (readonly [keyof DfePanelSeries, string])[];

/**
 * Where each measure's breakdowns sit in a {@link DfePanelSeries}, in the
 * order the fields are listed: field, measure, and the dimensions in the
 * order they are listed (every dimension is present, `{}` when the sources
 * publish none of its groups for the area).
 */
export const DFE_PANEL_BREAKDOWNS = [
  ['breakdowns', 'children_in_care', ['placement', 'dfePlacementGroup', 'dfePlacement', 'sfrPlacement', 'provider', 'dfeProviderGroup', 'dfeProvider', 'age', 'uasc']],
  ['startedBreakdowns', 'started', ['age', 'uasc']],
  ['ceasedBreakdowns', 'ceased', ['reasonGroup', 'reason', 'age', 'ageGroup']],
] as const satisfies readonly (readonly [keyof DfePanelSeries, string, readonly string[]])[];
