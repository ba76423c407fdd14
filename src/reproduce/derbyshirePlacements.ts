/**
 * Reproducing the Derbyshire Placement Sufficiency Statement's projections by
 * placement type and provider, 2023-2035: fostering +35%, residential +148%,
 * internal +9%, private/voluntary +94% (`001_d9ec82d55c6be5ca.txt` lines
 * 3814, 3815, 3832, 3833). The statement says only that they were
 * "calculated using average increases from historical data to the Children in
 * Care population in recent years" (lines 3804-3805). Its inputs, annual
 * counts of each group for 2019-2023, are charts in the original and are not
 * in the text; the seeds hold the groups for 2018, 2019, 2020 and 2023 only,
 * partly under other definitions.
 *
 * So this module does not fit anything to the published numbers. It fixes,
 * in advance and the same for every group, (1) the rule that turns the seed
 * records into each group's historical counts and (2) a small set of
 * documented methods that each read "average increases ... in recent years"
 * one way, then reports what every method gives and how far it lands from
 * each published figure.
 *
 * ## Input rules (fixed before any result was compared with a target)
 *
 * - A group's count in a year is a sum of published parts, each kept with its
 *   source file and line. The primary inputs use the definition that is the
 *   same in every year; where the statement's own definition exists only for
 *   2023, that is reported as an alternative (sensitivity), not used.
 * - Counts are whole children. A count derived from a printed percentage p of
 *   a known total T is the whole number nearest p x T; its bounds are the
 *   smallest and largest whole numbers that round to p at the printed
 *   precision. A suppressed count whose row also prints a percentage is
 *   derived the same way, within the suppression bound. A part not printed at
 *   all but contained in a suppressed row is counted as 0 with bounds
 *   `[0, upper]`.
 * - Bounds of the parts give each method a range (its result at every
 *   combination of bounded parts at their low or high end; exact for methods
 *   monotone or linear in each input).
 *
 * ## Candidate methods (fixed in advance; `v_t` the group's count in year t,
 * `B` = 2023 the base year, `T` = 2035 the target, `h = T - B = 12`)
 *
 * | id | reads "average increases" as | projection for T |
 * |---|---|---|
 * | `repeatGrowth5`, `4`, `3` | the last k-year % change applied again (the statement's own total method, {@link fitRepeatGrowth}), compounded | `v_B (v_B / v_{B-k})^(h/k)` |
 * | `meanAnnualPercent` | the arithmetic mean of the year-on-year % changes over all available years (a gap of g years counts as g years at its annualised rate), compounded | `v_B (1 + m)^h` |
 * | `simpleAnnualPercent5`, `4`, `3` | the k-year % change divided by k (the statement's "an average of 8% per year" for 38% over 5 years), added each year as a % of the 2023 count | `v_B (1 + h G_k / k)` |
 * | `averageIncrease5`, `4`, `3` | the average yearly increase in children over the last k years, added each year | `v_B + h (v_B - v_{B-k}) / k` |
 * | `linearTrend` | the least-squares straight line through all available years (a spreadsheet TREND) | `a + b T` |
 * | `shareOfTotal` | the group's 2023 share of all children in care held, the total following the statement's total method (38% per 5 years, compounded) | `(v_B / N_B) N_B 1.38^(h/5)` |
 *
 * Windows are every k the seed years allow (2018, 2019, 2020 before 2023).
 * The % change is always against the 2023 count used as input. The error is
 * the method's % change minus the published % change, in percentage points.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { breakdownKey, findQuarterlySeries, findSeries } from '../data/breakdown.js';
import type { AnnualPoint, Breakdown, Dataset, QuarterlyPoint } from '../data/schemas.js';
import { loadSeed, type Seed } from '../data/seeds.js';
import { fitRepeatGrowth } from '../models/repeatGrowth.js';
import { simpleRegression } from '../math/simpleRegression.js';

/** The four published group projections. */
export type PlacementFigure = 'fostering' | 'residential' | 'internal' | 'privateVoluntary';

/** The four figures, in the order the statement gives them. */
export const PLACEMENT_FIGURES: readonly PlacementFigure[] = ['fostering', 'residential', 'internal', 'privateVoluntary'];

/** A family of candidate methods (see the module description for the formulas). */
export type CandidateFamily = 'repeatGrowth' | 'meanAnnualPercent' | 'simpleAnnualPercent' | 'averageIncrease' | 'linearTrend' | 'shareOfTotal';

/** The identifier of one candidate method: a family and, where it has one, its window in years. */
export type CandidateId =
  | 'repeatGrowth5'
  | 'repeatGrowth4'
  | 'repeatGrowth3'
  | 'meanAnnualPercent'
  | 'simpleAnnualPercent5'
  | 'simpleAnnualPercent4'
  | 'simpleAnnualPercent3'
  | 'averageIncrease5'
  | 'averageIncrease4'
  | 'averageIncrease3'
  | 'linearTrend'
  | 'shareOfTotal';

/** A candidate method: its identifier, family, window and definition in words. */
export interface CandidateMethod {
  /** Identifier. */
  readonly id: CandidateId;
  /** Family. */
  readonly family: CandidateFamily;
  /** Window in years (growth measured from base year minus window), or null for methods using every year. */
  readonly window: number | null;
  /** Short label for tables. */
  readonly label: string;
  /** The definition in words, with the formula. */
  readonly definition: string;
}

/** Tolerance for "reproduced": the published figures are whole percentages ("approximately 35%"). */
export const REPRODUCTION_TOLERANCE_POINTS = 0.5;

/**
 * The candidate methods, fixed before any was compared with a published
 * figure. `v_B` is the group's 2023 count, `h` the 12 years to 2035.
 */
export const PLACEMENT_REPRODUCTION_CANDIDATES: readonly CandidateMethod[] = [
  ...([5, 4, 3] as const).map(
    (k): CandidateMethod => ({
      id: `repeatGrowth${k}`,
      family: 'repeatGrowth',
      window: k,
      label: `repeat ${k}-yr % change`,
      definition: `the ${k}-year % change to the base year applied again, compounded: v_B (v_B / v_{B-${k}})^(h/${k}) (fitRepeatGrowth, window ${k})`,
    }),
  ),
  {
    id: 'meanAnnualPercent',
    family: 'meanAnnualPercent',
    window: null,
    label: 'mean yearly % change',
    definition:
      'the arithmetic mean m of the year-on-year % changes over all available years (a gap of g years counts g times at its annualised rate), compounded: v_B (1 + m)^h',
  },
  ...([5, 4, 3] as const).map(
    (k): CandidateMethod => ({
      id: `simpleAnnualPercent${k}`,
      family: 'simpleAnnualPercent',
      window: k,
      label: `${k}-yr % / ${k}, simple`,
      definition: `the ${k}-year % change divided by ${k} ("an average of 8% per year"), added each year as a % of the base-year count: v_B (1 + h G_${k} / ${k})`,
    }),
  ),
  ...([5, 4, 3] as const).map(
    (k): CandidateMethod => ({
      id: `averageIncrease${k}`,
      family: 'averageIncrease',
      window: k,
      label: `avg yearly increase, ${k} yr`,
      definition: `the average yearly increase in children over the last ${k} years, added each year: v_B + h (v_B - v_{B-${k}}) / ${k}`,
    }),
  ),
  {
    id: 'linearTrend',
    family: 'linearTrend',
    window: null,
    label: 'least-squares line',
    definition: 'the least-squares straight line through all available years, read at the target year: a + b T',
  },
  {
    id: 'shareOfTotal',
    family: 'shareOfTotal',
    window: null,
    label: 'share held, total x1.38/5yr',
    definition:
      "the group's base-year share of all children in care held, the total projected by the statement's own method (the 2018-2023 growth, rounded to 38%, applied again per 5 years, compounded): (v_B / N_B) N_B 1.38^(h/5)",
  },
];

/** One published part of a group's count, with where it is printed. */
export interface InputPart {
  /** What the part is, as the document labels it. */
  readonly label: string;
  /** The value used (whole children, or a derived value as described). */
  readonly value: number;
  /** Lowest value consistent with the publication (suppression, rounding of a percentage). */
  readonly low: number;
  /** Highest value consistent with the publication. */
  readonly high: number;
  /** Source document file name. */
  readonly source: string;
  /** 1-based line in the source document. */
  readonly line: number;
  /** How the value was derived, when it is not printed as a count. */
  readonly derivation?: string;
}

/** A group's count in one year: the sum of its parts. */
export interface InputPoint {
  /** Year (31 March). */
  readonly year: number;
  /** The count used: the sum of the parts' values. */
  readonly value: number;
  /** Sum of the parts' lows. */
  readonly low: number;
  /** Sum of the parts' highs. */
  readonly high: number;
  /** The parts, each with its source and line. */
  readonly parts: readonly InputPart[];
  /** How this year's definition differs from the statement's definition of the group, if it does. */
  readonly mismatch?: string;
}

/** One candidate method's result on one set of inputs. */
export interface CandidateResult {
  /** The candidate's identifier. */
  readonly candidate: CandidateId;
  /** Its family. */
  readonly family: CandidateFamily;
  /** Its window in years, or null. */
  readonly window: number | null;
  /** Short label. */
  readonly label: string;
  /** First year of the data the method used, or null when it could not be computed. */
  readonly fromYear: number | null;
  /** The method's estimated parameters (growth rates as percentages, increases in children per year). */
  readonly parameters: Readonly<Record<string, number>>;
  /** Projected count in the target year, or null when the inputs do not allow the method. */
  readonly projected: number | null;
  /** % change base year to target year, or null. */
  readonly percentChange: number | null;
  /** `percentChange` minus the published % change, in percentage points (null when not computable or nothing published). */
  readonly errorPoints: number | null;
  /** Whether |errorPoints| is at most {@link REPRODUCTION_TOLERANCE_POINTS}. */
  readonly withinTolerance: boolean;
  /** The % change's range over the bounds of the inputs' parts, or null when every part is exact. */
  readonly range: { readonly low: number; readonly high: number } | null;
  /**
   * Whether the published % change lies within `range` widened by the
   * tolerance (or, with no range, whether `withinTolerance`): the seed inputs
   * cannot rule this method out for this figure.
   */
  readonly withinRange: boolean;
  /** Why the method could not be computed, when it could not. */
  readonly unavailable?: string;
}

/** One way of reading a group's history from the seeds, with every candidate's result on it. */
export interface InputVariant {
  /** Identifier: `primary` (used for the verdict) or an alternative's name. */
  readonly id: string;
  /** What was summed, in words. */
  readonly definition: string;
  /** Why this variant is primary, or why it is only a sensitivity check. */
  readonly rationale: string;
  /** The yearly counts, oldest first. */
  readonly points: readonly InputPoint[];
  /** Every candidate's result, in {@link PLACEMENT_REPRODUCTION_CANDIDATES} order. */
  readonly results: readonly CandidateResult[];
  /** The computable result with the smallest absolute error. */
  readonly closest: CandidateResult;
}

/** A figure published after the base year; shown for context, never used as input. */
export interface LaterObservation {
  /** The date as published, e.g. `May 2024`. */
  readonly date: string;
  /** The value. */
  readonly value: number;
  /** The parts, with sources. */
  readonly parts: readonly InputPart[];
  /** Why it is not comparable or not used. */
  readonly note: string;
}

/** The published projection being reproduced. */
export interface PublishedProjection {
  /** Published % change, base to target year. */
  readonly percentChange: number;
  /** Base year. */
  readonly baseYear: number;
  /** Target year. */
  readonly targetYear: number;
  /** Source document file name. */
  readonly source: string;
  /** 1-based line in the source document. */
  readonly line: number;
  /** The statement as quoted in the seed. */
  readonly statement: string;
}

/** The reproduction of one published figure. */
export interface FigureReproduction {
  /** Which figure. */
  readonly figure: PlacementFigure;
  /** Plain-language name. */
  readonly label: string;
  /** The statement's definition of the group, with its source line. */
  readonly definition: string;
  /** The published projection, read from the seed's `projections`. */
  readonly published: PublishedProjection;
  /** The primary inputs (same definition every year) and every candidate's result on them. */
  readonly primary: InputVariant;
  /** Alternative readings of the inputs (sensitivity only; never decide the verdict). */
  readonly alternatives: readonly InputVariant[];
  /** Figures in the seeds after the base year (context, not used). */
  readonly laterObservations: readonly LaterObservation[];
  /** What the statement used that the documents do not contain. */
  readonly missing: string;
  /** Candidates within tolerance of this figure on the primary inputs. */
  readonly matches: readonly CandidateId[];
  /** Candidates whose range over the primary inputs' bounds reaches this figure (includes `matches`). */
  readonly rangeMatches: readonly CandidateId[];
  /**
   * True only when one candidate method lands within tolerance of this figure
   * *and* of the other three figures on the primary inputs: the statement
   * says one method produced them all, so a method that hits one figure
   * while missing the others is reported in `matches` and the verdict, not
   * counted as reproducing the statement.
   */
  readonly reproduced: boolean;
  /** Plain-language verdict: reproduced or not, why, and the closest method with its parameters and error. */
  readonly verdict: string;
}

/** The total children in care, for context and for the `shareOfTotal` candidate. */
export interface TotalContext {
  /** The totals used (years up to the base year), with sources. */
  readonly points: readonly InputPoint[];
  /** Every candidate's % change for the total (nothing is published for 2035, so errors are null). */
  readonly results: readonly CandidateResult[];
  /** The statement's total method to 2028: the 2018-2023 growth rounded to a whole percent, applied again. */
  readonly check: {
    /** The 2028 value the method gives. */
    readonly value: number;
    /** The published 2028 value. */
    readonly published: number;
    /** Source file. */
    readonly source: string;
    /** Source line. */
    readonly line: number;
  };
  /** The total in the target year under the statement's method (used by `shareOfTotal`). */
  readonly targetValue: number;
}

/** The result of {@link reproduceDerbyshirePlacementProjections}. */
export interface DerbyshirePlacementReproduction {
  /** Area. */
  readonly area: string;
  /** Base year of the published projections. */
  readonly baseYear: number;
  /** Target year. */
  readonly targetYear: number;
  /** Years projected ahead. */
  readonly horizon: number;
  /** Tolerance in percentage points. */
  readonly tolerancePoints: number;
  /** The statement's description of its method, with its source. */
  readonly statedMethod: { readonly text: string; readonly source: string; readonly line: number };
  /** The candidate methods. */
  readonly candidates: readonly CandidateMethod[];
  /** The total, for context. */
  readonly total: TotalContext;
  /** One entry per figure, in {@link PLACEMENT_FIGURES} order. */
  readonly figures: readonly FigureReproduction[];
  /** Candidates within tolerance of all four figures on the primary inputs (the statement's single method, if any). */
  readonly consistentCandidates: readonly CandidateId[];
  /**
   * Candidates the seed inputs cannot rule out for any of the four figures:
   * for every figure the published % change is within tolerance or within
   * the method's range over the inputs' bounds. Empty means no candidate can
   * be the statement's single method, whatever the suppressed and rounded
   * inputs really were.
   */
  readonly rangeConsistentCandidates: readonly CandidateId[];
  /** One-paragraph overall verdict. */
  readonly verdict: string;
}

// ---------------------------------------------------------------------------
// Input specifications (fixed in advance)

const DOC_001 = '001_d9ec82d55c6be5ca.txt';

/** A count record (`children_in_care`, annual). A suppressed count is derived from its row's share, else 0 within its bound. */
interface CountPart {
  readonly kind: 'count';
  readonly label: string;
  readonly breakdown: Breakdown;
  readonly year: number;
}
/** A share record (`children_in_care_share`, annual) times the year's total. */
interface SharePart {
  readonly kind: 'share';
  readonly label: string;
  readonly breakdown: Breakdown;
  readonly year: number;
}
/** A part not printed on its own but contained in a suppressed row: 0 within `[0, upper]` of that row. */
interface NotPrintedPart {
  readonly kind: 'notPrinted';
  readonly label: string;
  /** The suppressed row that contains it. */
  readonly within: Breakdown;
  readonly year: number;
}
/** A quarterly count (later observations only). */
interface QuarterPart {
  readonly kind: 'quarter';
  readonly label: string;
  readonly breakdown: Breakdown;
  readonly year: number;
  readonly quarter: number;
}
/** An annual record of another measure (later observations only). */
interface MeasurePart {
  readonly kind: 'measure';
  readonly label: string;
  readonly measure: string;
  readonly year: number;
}
type PartSpec = CountPart | SharePart | NotPrintedPart | QuarterPart | MeasurePart;

interface PointSpec {
  readonly year: number;
  readonly parts: readonly PartSpec[];
  readonly mismatch?: string;
}
interface VariantSpec {
  readonly id: string;
  readonly definition: string;
  readonly rationale: string;
  readonly points: readonly PointSpec[];
}
interface FigureSpec {
  readonly label: string;
  readonly projection: Breakdown;
  readonly definition: string;
  readonly primary: VariantSpec;
  readonly alternatives: readonly VariantSpec[];
  readonly later: readonly { readonly date: string; readonly parts: readonly PartSpec[]; readonly note: string }[];
  readonly missing: string;
}

const c = (label: string, year: number, breakdown: Breakdown): CountPart => ({ kind: 'count', label, breakdown, year });
const s = (label: string, year: number, breakdown: Breakdown): SharePart => ({ kind: 'share', label, breakdown, year });

const FOSTER_DCC = { placement: 'fostering', providerType: 'in_house' } as Breakdown;
const FOSTER_AGENCY = { placement: 'fostering', providerType: 'agency' } as Breakdown;
const RESI_DCC = { placementCategory: 'residential_placement', providerType: 'in_house' } as Breakdown;
const RESI_AGENCY = { placementCategory: 'residential_placement', providerType: 'agency' } as Breakdown;
const HOME_DCC = { placementType: 'childrens_home', providerType: 'in_house' } as Breakdown;
const HOME_AGENCY = { placementType: 'childrens_home', providerType: 'agency' } as Breakdown;
const INDEPENDENT = { placementCategory: 'independent_living' } as Breakdown;
const SECURE = { placementType: 'secure' } as Breakdown;
const OTHER = { placementCategory: 'other' } as Breakdown;

const MISMATCH_TABLE1_RESI =
  'Table 1 (000:130-138) has "Residential Placement" (probably children\'s homes; residential schools are not shown separately, so it may include some "other residential settings") and "Independent Living" (may include independent living, which DfE counts under "other placements in the community", not semi-independent accommodation)';
const MISMATCH_2019_RESI =
  'the 2019 data set (002:266-275) gives children\'s homes and "live independently or in supported accommodation" (same caveat as Independent Living); secure units are not printed (inside "* other forms of accommodation", fewer than 5)';
const MISMATCH_IN_HOUSE =
  'DCC ("in-house") fostering + DCC residential only: DfE "own provision" also holds other DCC placements (e.g. DCC-provided independent living) and "other LA provision" is not shown at all';
const MISMATCH_AGENCY =
  'agency fostering + agency residential only: private/voluntary providers of independent/semi-independent living are not split out, and "agency" is not the DfE private/voluntary split';

/** The in-house counts of 2018-2020, shared by the internal figure's primary and alternative inputs. */
const IN_HOUSE_2018_2020 = [
  { year: 2018, parts: [c('Foster Placement (DCC)', 2018, FOSTER_DCC), c('Residential Placement (DCC)', 2018, RESI_DCC)], mismatch: MISMATCH_IN_HOUSE },
  { year: 2019, parts: [c('live with DCC foster carers', 2019, FOSTER_DCC), c("live in DCC children's homes", 2019, HOME_DCC)], mismatch: MISMATCH_IN_HOUSE },
  { year: 2020, parts: [c('Foster Placement (DCC)', 2020, FOSTER_DCC), c('Residential Placement (DCC)', 2020, RESI_DCC)], mismatch: MISMATCH_IN_HOUSE },
];

/** The agency counts of 2018-2020, shared by the private/voluntary figure's primary and alternative inputs. */
const AGENCY_2018_2020 = [
  { year: 2018, parts: [c('Foster Placement (Agency)', 2018, FOSTER_AGENCY), c('Residential Placement (Agency)', 2018, RESI_AGENCY)], mismatch: MISMATCH_AGENCY },
  { year: 2019, parts: [c('live with private fostering agency carers', 2019, FOSTER_AGENCY), c("live in agency children's homes", 2019, HOME_AGENCY)], mismatch: MISMATCH_AGENCY },
  { year: 2020, parts: [c('Foster Placement (Agency)', 2020, FOSTER_AGENCY), c('Residential Placement (Agency)', 2020, RESI_AGENCY)], mismatch: MISMATCH_AGENCY },
];

const FIGURE_SPECS: Record<PlacementFigure, FigureSpec> = {
  fostering: {
    label: 'fostering',
    projection: { placement: 'fostering' },
    definition: 'all foster placements (001:3814)',
    primary: {
      id: 'primary',
      definition: 'DCC + agency foster placements (2018-2020); all foster placements (2023)',
      rationale: 'the same definition (every foster placement) in every year',
      points: [
        { year: 2018, parts: [c('Foster Placement (DCC)', 2018, FOSTER_DCC), c('Foster Placement (Agency)', 2018, FOSTER_AGENCY)] },
        {
          year: 2019,
          parts: [c('live with DCC foster carers', 2019, FOSTER_DCC), c('live with private fostering agency carers', 2019, FOSTER_AGENCY)],
          mismatch: 'from the 2019 strategy data set, whose total (805, 002:266) differs from DfE\'s 802 (001:3845)',
        },
        { year: 2020, parts: [c('Foster Placement (DCC)', 2020, FOSTER_DCC), c('Foster Placement (Agency)', 2020, FOSTER_AGENCY)] },
        { year: 2023, parts: [c('foster care placement (DfE)', 2023, { placement: 'fostering' })] },
      ],
    },
    alternatives: [],
    later: [
      {
        date: 'May 2024',
        parts: [{ kind: 'quarter', label: 'Fostering (CIC Placement Type, May 2024)', breakdown: { placement: 'fostering' }, year: 2025, quarter: 1 }],
        note: 'after the base year and not a 31 March figure; not used',
      },
    ],
    missing: 'annual foster placement counts 2019-2023 as DfE defines them; the seeds have none for 2021-2022',
  },
  residential: {
    label: 'residential',
    projection: { placement: 'residential' },
    definition: "secure units + children's homes + semi-independent living, excluding 'other residential settings' (001:3815, 3819-3820)",
    primary: {
      id: 'primary',
      definition: 'residential placement (DCC + agency) + independent living + secure unit (2018, 2020); children\'s homes (DCC + agency) + independent/supported + secure (2019); DfE group (2023)',
      rationale: 'the closest the documents come to the statement\'s definition before 2023; the only reading available',
      points: [
        {
          year: 2018,
          parts: [
            c('Residential Placement (DCC)', 2018, RESI_DCC),
            c('Residential Placement (Agency)', 2018, RESI_AGENCY),
            c('Independent Living', 2018, INDEPENDENT),
            c('Secure Unit', 2018, SECURE),
          ],
          mismatch: MISMATCH_TABLE1_RESI,
        },
        {
          year: 2019,
          parts: [
            c("live in DCC children's homes", 2019, HOME_DCC),
            c("live in agency children's homes", 2019, HOME_AGENCY),
            c('live independently or in supported accommodation', 2019, INDEPENDENT),
            { kind: 'notPrinted', label: 'secure units (not printed)', within: OTHER, year: 2019 },
          ],
          mismatch: MISMATCH_2019_RESI,
        },
        {
          year: 2020,
          parts: [
            c('Residential Placement (DCC)', 2020, RESI_DCC),
            c('Residential Placement (Agency)', 2020, RESI_AGENCY),
            c('Independent Living', 2020, INDEPENDENT),
            c('Secure Unit', 2020, SECURE),
          ],
          mismatch: MISMATCH_TABLE1_RESI,
        },
        { year: 2023, parts: [c("children's homes, secure units and semi-independent accommodation", 2023, { placement: 'residential' })] },
      ],
    },
    alternatives: [],
    later: [
      {
        date: 'May 2024',
        parts: [
          { kind: 'quarter', label: 'Residential (May 2024)', breakdown: { placementCategory: 'residential' }, year: 2025, quarter: 1 },
          { kind: 'quarter', label: 'Supported Accommodation (May 2024)', breakdown: { placementCategory: 'supported_accommodation' }, year: 2025, quarter: 1 },
        ],
        note: 'after the base year, not a 31 March figure, and secure placements sit in "Other arrangements" (001:686-688); not used',
      },
    ],
    missing: 'annual counts 2019-2023 of secure units + children\'s homes + semi-independent living; only 2023 is printed under that definition',
  },
  internal: {
    label: 'internal',
    projection: { provider: 'internal' },
    definition: "DfE 'own provision' + 'other LA provision' (001:3828, 3832)",
    primary: {
      id: 'primary',
      definition: 'DCC foster placements + DCC residential placements (2018-2020 counts; 2023 from 36% and 2.8% of 995)',
      rationale: 'the only provider split printed under the same definition in every year (in-house fostering and residential)',
      points: [
        ...IN_HOUSE_2018_2020,
        {
          year: 2023,
          parts: [s('DCC owned foster provision', 2023, FOSTER_DCC), s('DCC owned residential provision', 2023, RESI_DCC)],
          mismatch: MISMATCH_IN_HOUSE,
        },
      ],
    },
    alternatives: [
      {
        id: 'ownProvision2023',
        definition: 'as primary for 2018-2020; 2023 = DCC provides 42% of 995 (DfE own provision, 001:3612)',
        rationale: 'closer to the statement\'s 2023 definition (still without other LA provision) but mixes definitions across years; sensitivity only',
        points: [
          ...IN_HOUSE_2018_2020,
          { year: 2023, parts: [s('Derbyshire County Council provides (own provision)', 2023, { providerType: 'in_house' })], mismatch: 'own provision only; other LA provision not given' },
        ],
      },
    ],
    later: [
      {
        date: 'May 2024',
        parts: [{ kind: 'quarter', label: 'Internal fostering + residential + supported (May 2024)', breakdown: { placementCategory: 'fostering_residential_or_supported', providerType: 'internal' }, year: 2025, quarter: 1 }],
        note: 'after the base year; its "internal" supported accommodation is a block contract, not in-house (001:680-681); not used',
      },
      {
        date: 'April 2024',
        parts: [{ kind: 'measure', label: 'children with internal foster carers (April 2024)', measure: 'children_with_internal_foster_carers', year: 2024 }],
        note: 'internal fostering only, after the base year; not used',
      },
    ],
    missing: "annual counts 2019-2023 of DfE own provision + other LA provision; other LA provision is never printed and own provision only as 42% in 2023",
  },
  privateVoluntary: {
    label: 'private/voluntary',
    projection: { providerType: 'private_voluntary' },
    definition: "DfE 'private provision' + 'voluntary/third sector provision' (001:3829, 3833)",
    primary: {
      id: 'primary',
      definition: 'agency foster placements + agency residential placements (2018-2020 counts; 2023 from 28% and 11% of 995)',
      rationale: 'the only provider split printed under the same definition in every year (agency fostering and residential)',
      points: [
        ...AGENCY_2018_2020,
        {
          year: 2023,
          parts: [s('agency foster provision', 2023, FOSTER_AGENCY), s('agency residential provision', 2023, RESI_AGENCY)],
          mismatch: MISMATCH_AGENCY,
        },
      ],
    },
    alternatives: [
      {
        id: 'privateProvision2023',
        definition: 'as primary for 2018-2020; 2023 = private provision 44% of 995 (001:3615)',
        rationale: 'closer to the statement\'s 2023 definition (still without voluntary provision) but mixes definitions across years; sensitivity only',
        points: [
          ...AGENCY_2018_2020,
          { year: 2023, parts: [s('private provision', 2023, { provider: 'private' })], mismatch: 'private provision only; voluntary/third sector not given' },
        ],
      },
    ],
    later: [
      {
        date: 'May 2024',
        parts: [{ kind: 'quarter', label: 'External fostering + residential + supported (May 2024)', breakdown: { placementCategory: 'fostering_residential_or_supported', providerType: 'external' }, year: 2025, quarter: 1 }],
        note: 'after the base year; "external" includes supported accommodation; not used',
      },
    ],
    missing: "annual counts 2019-2023 of DfE private + voluntary/third sector provision; voluntary provision is never printed and private provision only as 44% in 2023",
  },
};

// ---------------------------------------------------------------------------
// Reading the parts

function problem(message: string, fix: string): CarecastInputError {
  return new CarecastInputError([{ source: 'seeds/derbyshire.json', field: 'records', message, fix }]);
}

function annualPoint(dataset: Dataset, measure: string, breakdown: Breakdown, year: number): AnnualPoint {
  const series = findSeries(dataset, measure, breakdown);
  const p = series.points.find((q) => q.year === year);
  if (!p) throw problem(`no ${measure}[${breakdownKey(breakdown)}] record for ${year}`, 'restore the record from its source document');
  return p;
}

function where(p: AnnualPoint | QuarterlyPoint): { source: string; line: number } {
  return { source: p.provenance?.source ?? 'seeds/derbyshire.json', line: p.provenance?.line ?? 1 };
}

function total(dataset: Dataset, year: number): AnnualPoint {
  const p = annualPoint(dataset, 'children_in_care', {}, year);
  if (p.value === null) throw problem(`children_in_care total ${year} is null`, 'restore the total');
  return p;
}

/** Printed precision of a share: the number of decimals of its percentage (0.028 -> 2.8% -> 1). */
function percentDecimals(share: number): number {
  const pct = share * 100;
  for (let d = 0; d <= 4; d++) if (Math.abs(Math.round(pct * 10 ** d) / 10 ** d - pct) < 1e-9) return d;
  return 4;
}

/**
 * Whole numbers n with n / T rounding to the printed percentage: the value
 * nearest p x T, and the smallest and largest consistent whole numbers.
 */
function countFromShare(share: number, totalValue: number, upper = Number.POSITIVE_INFINITY): { value: number; low: number; high: number } {
  const half = 0.5 * 10 ** -percentDecimals(share) / 100;
  const low = Math.max(0, Math.ceil((share - half) * totalValue - 1e-9));
  const high = Math.min(upper, Math.ceil((share + half) * totalValue - 1e-9) - 1);
  const value = Math.min(high, Math.max(low, Math.round(share * totalValue)));
  return { value, low: Math.min(low, high), high: Math.max(low, high) };
}

function pctText(share: number): string {
  return `${(share * 100).toFixed(percentDecimals(share))}%`;
}

function resolvePart(dataset: Dataset, spec: PartSpec): InputPart {
  switch (spec.kind) {
    case 'count': {
      const p = annualPoint(dataset, 'children_in_care', spec.breakdown, spec.year);
      if (p.value !== null) return { label: spec.label, value: p.value, low: p.value, high: p.value, ...where(p) };
      const upper = p.suppressed?.upper ?? Number.POSITIVE_INFINITY;
      const shareSeries = dataset.series.find(
        (x) => x.frequency === 'annual' && x.measure === 'children_in_care_share' && breakdownKey(x.breakdown) === breakdownKey(spec.breakdown),
      );
      const sp = shareSeries?.points.find((q) => q.year === spec.year);
      if (sp && sp.value !== null) {
        const t = total(dataset, spec.year);
        const r = countFromShare(sp.value, t.value as number, upper);
        return {
          label: spec.label,
          ...r,
          ...where(p),
          derivation: `printed "${p.suppressed?.marker ?? 'suppressed'}" with ${pctText(sp.value)} of ${t.value}: the whole number${r.low === r.high ? '' : 's'} rounding to ${pctText(sp.value)} ${r.low === r.high ? `is ${r.value}` : `are ${r.low}-${r.high}`}`,
        };
      }
      if (!Number.isFinite(upper)) throw problem(`${spec.label} ${spec.year} is suppressed with no upper bound and no share`, 'give the suppression bound');
      return { label: spec.label, value: 0, low: 0, high: upper, ...where(p), derivation: `printed "${p.suppressed?.marker ?? 'suppressed'}": counted as 0, bounds 0-${upper}` };
    }
    case 'share': {
      const p = annualPoint(dataset, 'children_in_care_share', spec.breakdown, spec.year);
      if (p.value === null) throw problem(`children_in_care_share[${breakdownKey(spec.breakdown)}] ${spec.year} is null`, 'restore the share');
      const t = total(dataset, spec.year);
      const r = countFromShare(p.value, t.value as number);
      return {
        label: spec.label,
        ...r,
        ...where(p),
        derivation: `${pctText(p.value)} of ${t.value} (${where(t).source.slice(0, 3)}:${where(t).line}) = ${(p.value * (t.value as number)).toFixed(1)}, nearest whole number ${r.value} (${r.low}-${r.high} round to ${pctText(p.value)})`,
      };
    }
    case 'notPrinted': {
      const p = annualPoint(dataset, 'children_in_care', spec.within, spec.year);
      const upper = p.suppressed?.upper;
      if (p.value !== null || upper === undefined) throw problem(`${spec.label} ${spec.year}: the containing row is not suppressed with a bound`, 'check the containing record');
      return { label: spec.label, value: 0, low: 0, high: upper, ...where(p), derivation: `inside "${p.suppressed?.marker}" (fewer than ${upper + 1}): counted as 0, bounds 0-${upper}` };
    }
    case 'quarter': {
      const series = findQuarterlySeries(dataset, 'children_in_care', spec.breakdown);
      const p = series.points.find((q) => q.year === spec.year && q.quarter === spec.quarter);
      if (!p || p.value === null) throw problem(`no children_in_care[${breakdownKey(spec.breakdown)}] record for ${spec.year} Q${spec.quarter}`, 'restore the record');
      return { label: spec.label, value: p.value, low: p.value, high: p.value, ...where(p) };
    }
    case 'measure': {
      const p = annualPoint(dataset, spec.measure, {}, spec.year);
      if (p.value === null) throw problem(`${spec.measure} ${spec.year} is null`, 'restore the record');
      return { label: spec.label, value: p.value, low: p.value, high: p.value, ...where(p) };
    }
  }
}

function resolvePoint(dataset: Dataset, spec: PointSpec): InputPoint {
  const parts = spec.parts.map((p) => resolvePart(dataset, p));
  const sum = (f: (p: InputPart) => number) => parts.reduce((a, p) => a + f(p), 0);
  return { year: spec.year, value: sum((p) => p.value), low: sum((p) => p.low), high: sum((p) => p.high), parts, ...(spec.mismatch ? { mismatch: spec.mismatch } : {}) };
}

// ---------------------------------------------------------------------------
// The candidate methods

interface Ctx {
  readonly baseYear: number;
  readonly targetYear: number;
  /** Total in the base year and in the target year under the statement's total method. */
  readonly totalBase: number;
  readonly totalTarget: number;
}

type Computed = { projected: number; fromYear: number; parameters: Record<string, number> } | { unavailable: string };

/** One candidate on yearly values (`years` ascending, the base year last). */
function computeCandidate(m: CandidateMethod, years: readonly number[], values: readonly number[], ctx: Ctx): Computed {
  const h = ctx.targetYear - ctx.baseYear;
  const n = years.length;
  const vB = values[n - 1];
  const at = (year: number): number | undefined => {
    const i = years.indexOf(year);
    return i < 0 ? undefined : values[i];
  };
  const pct = (x: number) => 100 * x;
  switch (m.family) {
    case 'repeatGrowth':
    case 'simpleAnnualPercent':
    case 'averageIncrease': {
      const k = m.window as number;
      const v0 = at(ctx.baseYear - k);
      if (v0 === undefined) return { unavailable: `no value for ${ctx.baseYear - k}` };
      if (v0 <= 0) return { unavailable: `value for ${ctx.baseYear - k} is not positive` };
      const G = vB / v0 - 1;
      if (m.family === 'repeatGrowth') {
        const projected = vB * (1 + G) ** (h / k);
        return { projected, fromYear: ctx.baseYear - k, parameters: { windowGrowthPct: pct(G), annualGrowthPct: pct((1 + G) ** (1 / k) - 1) } };
      }
      if (m.family === 'simpleAnnualPercent') {
        return { projected: vB * (1 + (h * G) / k), fromYear: ctx.baseYear - k, parameters: { windowGrowthPct: pct(G), annualPct: pct(G / k) } };
      }
      const d = (vB - v0) / k;
      return { projected: vB + h * d, fromYear: ctx.baseYear - k, parameters: { increasePerYear: d } };
    }
    case 'meanAnnualPercent': {
      if (n < 2) return { unavailable: 'needs two years' };
      const rates: number[] = [];
      for (let i = 1; i < n; i++) {
        const gap = years[i] - years[i - 1];
        const r = (values[i] / values[i - 1]) ** (1 / gap) - 1;
        for (let g = 0; g < gap; g++) rates.push(r);
      }
      const mean = rates.reduce((a, r) => a + r, 0) / rates.length;
      return { projected: vB * (1 + mean) ** h, fromYear: years[0], parameters: { meanAnnualPct: pct(mean) } };
    }
    case 'linearTrend': {
      if (n < 3) return { unavailable: 'needs three years' };
      const fit = simpleRegression(years, values);
      return { projected: fit.intercept + fit.slope * ctx.targetYear, fromYear: years[0], parameters: { slopePerYear: fit.slope, fittedBase: fit.intercept + fit.slope * ctx.baseYear } };
    }
    case 'shareOfTotal': {
      const share = vB / ctx.totalBase;
      return { projected: share * ctx.totalTarget, fromYear: ctx.baseYear, parameters: { sharePct: pct(share), totalTarget: ctx.totalTarget } };
    }
  }
}

/** Every combination of the bounded parts at their low or high end: the yearly values for each corner. */
function corners(points: readonly InputPoint[]): number[][] {
  const bounded: { i: number; low: number; high: number; value: number }[] = [];
  points.forEach((p, i) => p.parts.forEach((q) => q.low !== q.high && bounded.push({ i, low: q.low, high: q.high, value: q.value })));
  if (bounded.length === 0 || bounded.length > 12) return [];
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << bounded.length; mask++) {
    const v = points.map((p) => p.value);
    bounded.forEach((b, j) => {
      v[b.i] += ((mask >> j) & 1 ? b.high : b.low) - b.value;
    });
    out.push(v);
  }
  return out;
}

function evaluate(points: readonly InputPoint[], ctx: Ctx, published: number | null): CandidateResult[] {
  const used = points.filter((p) => p.year <= ctx.baseYear);
  if (used.length === 0 || used[used.length - 1].year !== ctx.baseYear) {
    throw problem(`no value for the base year ${ctx.baseYear}`, 'add the base-year record');
  }
  const years = used.map((p) => p.year);
  const values = used.map((p) => p.value);
  const cornerValues = corners(used);
  return PLACEMENT_REPRODUCTION_CANDIDATES.map((m): CandidateResult => {
    const base = { candidate: m.id, family: m.family, window: m.window, label: m.label };
    const r = computeCandidate(m, years, values, ctx);
    if ('unavailable' in r) {
      return { ...base, fromYear: null, parameters: {}, projected: null, percentChange: null, errorPoints: null, withinTolerance: false, range: null, withinRange: false, unavailable: r.unavailable };
    }
    const percentChange = 100 * (r.projected / values[values.length - 1] - 1);
    const errorPoints = published === null ? null : percentChange - published;
    let range: CandidateResult['range'] = null;
    if (cornerValues.length > 0) {
      const pcs = cornerValues
        .map((v) => {
          const q = computeCandidate(m, years, v, ctx);
          return 'unavailable' in q ? Number.NaN : 100 * (q.projected / v[v.length - 1] - 1);
        })
        .filter(Number.isFinite);
      if (pcs.length > 0) range = { low: Math.min(...pcs), high: Math.max(...pcs) };
    }
    const withinTolerance = errorPoints !== null && Math.abs(errorPoints) <= REPRODUCTION_TOLERANCE_POINTS + 1e-12;
    const withinRange =
      withinTolerance ||
      (published !== null && range !== null && published >= range.low - REPRODUCTION_TOLERANCE_POINTS && published <= range.high + REPRODUCTION_TOLERANCE_POINTS);
    return { ...base, fromYear: r.fromYear, parameters: r.parameters, projected: r.projected, percentChange, errorPoints, withinTolerance, range, withinRange };
  });
}

function closestOf(results: readonly CandidateResult[]): CandidateResult {
  const ok = results.filter((r) => r.errorPoints !== null);
  if (ok.length === 0) return results[0];
  return ok.reduce((a, b) => (Math.abs(b.errorPoints as number) < Math.abs(a.errorPoints as number) ? b : a));
}

// ---------------------------------------------------------------------------
// Formatting helpers

function signed(x: number, digits = 1): string {
  const t = x.toFixed(digits);
  return x >= 0 && !t.startsWith('-') ? `+${t}` : t;
}

function paramText(r: CandidateResult): string {
  const p = r.parameters;
  const bits: string[] = [];
  if (r.fromYear !== null && r.family !== 'shareOfTotal') bits.push(`data from ${r.fromYear}`);
  if (p.windowGrowthPct !== undefined) bits.push(`${r.window}-year change ${signed(p.windowGrowthPct)}%`);
  if (p.annualGrowthPct !== undefined) bits.push(`${signed(p.annualGrowthPct, 2)}% a year compounded`);
  if (p.annualPct !== undefined) bits.push(`${signed(p.annualPct, 2)}% of the base a year`);
  if (p.meanAnnualPct !== undefined) bits.push(`mean ${signed(p.meanAnnualPct, 2)}% a year`);
  if (p.increasePerYear !== undefined) bits.push(`${signed(p.increasePerYear, 2)} children a year`);
  if (p.slopePerYear !== undefined) bits.push(`slope ${signed(p.slopePerYear, 2)} a year`);
  if (p.sharePct !== undefined) bits.push(`share ${p.sharePct.toFixed(1)}%, total ${p.totalTarget.toFixed(0)} in the target year`);
  return bits.join(', ');
}

function describeResult(r: CandidateResult, published: number): string {
  const range = r.range && r.range.high - r.range.low >= 0.05 ? `, ${signed(r.range.low)} to ${signed(r.range.high)}% over the inputs' bounds` : '';
  return `${r.label} (${paramText(r)}) gives ${signed(r.percentChange as number)}% against the published ${signed(published, 0)}% (error ${signed(r.errorPoints as number)} points${range})`;
}

// ---------------------------------------------------------------------------
// The main function

function findProjection(seed: Seed, breakdown: Breakdown): Seed['projections'][number] {
  const key = breakdownKey(breakdown);
  const p = seed.projections.find((q) => q.measure === 'children_in_care' && breakdownKey(q.breakdown) === key && q.percentChange !== undefined);
  if (!p) {
    throw problem(
      `no published children_in_care projection with breakdown [${key}] and a percentChange`,
      'add the projection (001_d9ec82d55c6be5ca.txt lines 3814-3833) to the seed\'s projections',
    );
  }
  return p;
}

/**
 * Reproduce, as far as the documents allow, the Derbyshire statement's
 * 2023-2035 projections by placement type and provider (fostering +35%,
 * residential +148%, internal +9%, private/voluntary +94%) from the seed's
 * historical figures, with every documented candidate method (see the module
 * description and {@link PLACEMENT_REPRODUCTION_CANDIDATES}).
 *
 * The published targets are read from the seed's `projections` (with their
 * source lines), never typed in here. The inputs are read from the seed's
 * records by fixed rules (whole children; a count derived from a printed
 * percentage is the nearest whole number, with the bounds its rounding
 * allows); candidate definitions and windows are fixed in advance and the same
 * for every figure. A figure is `reproduced` only when one candidate lands
 * within 0.5 points of it and of the other three figures (the statement used
 * one method); any single-figure hit is listed in `matches` and explained in
 * the verdict.
 *
 * @param seed - the Derbyshire seed (default: the bundled one); needs the
 *   totals 2018 to the base year, the placement records of 2018-2020 and
 *   2023 and the four published projections
 * @returns the reproduction table: per figure the published % change with its
 *   source, the inputs by year with provenance, every candidate's projected
 *   value, % change, error and range, whether it is reproduced, and a verdict
 * @throws CarecastInputError when a needed record or published projection is
 *   missing from the seed, or the projections disagree on base/target year
 * @example
 * ```ts
 * const r = reproduceDerbyshirePlacementProjections();
 * r.figures[0].published.percentChange;   // 35 (001_d9ec82d55c6be5ca.txt line 3814)
 * r.figures[0].primary.closest.candidate; // 'linearTrend' (+37.2%, error +2.2 points)
 * r.figures[0].reproduced;                 // false
 * console.log(formatReproductionTable(r));
 * ```
 */
export function reproduceDerbyshirePlacementProjections(seed: Seed = loadSeed('derbyshire')): DerbyshirePlacementReproduction {
  const ds = seed.dataset;
  const projections = PLACEMENT_FIGURES.map((f) => findProjection(seed, FIGURE_SPECS[f].projection));
  const baseYear = projections[0].baseYear;
  const targetYear = projections[0].targetYear;
  if (projections.some((p) => p.baseYear !== baseYear || p.targetYear !== targetYear)) {
    throw problem('the four placement projections have different base or target years', 'check the projections in the seed');
  }
  const h = targetYear - baseYear;

  // the total and the statement's total method (2018-2023 growth, rounded to a whole percent, applied again)
  const totalSeries = findSeries(ds, 'children_in_care');
  const totalPoints = totalSeries.points.filter((p) => p.year <= baseYear && p.value !== null);
  const totalYears = totalPoints.map((p) => p.year);
  for (let i = 1; i < totalYears.length; i++) {
    if (totalYears[i] !== totalYears[i - 1] + 1) throw problem(`children_in_care total has a gap before ${totalYears[i]}`, 'the statement\'s total method needs consecutive years');
  }
  const totalValues = totalPoints.map((p) => p.value as number);
  const totalModel = fitRepeatGrowth(totalValues, { window: 5, roundPercent: 0 });
  const totalTarget = totalModel.forecast(h).point[h - 1];
  const total2028 = seed.projections.find((p) => p.measure === 'children_in_care' && breakdownKey(p.breakdown) === '' && p.value !== undefined);
  const ctx: Ctx = { baseYear, targetYear, totalBase: totalValues[totalValues.length - 1], totalTarget };
  const totalInput: InputPoint[] = totalPoints.map((p) => ({
    year: p.year,
    value: p.value as number,
    low: p.value as number,
    high: p.value as number,
    parts: [{ label: 'children in care, 31 March', value: p.value as number, low: p.value as number, high: p.value as number, ...where(p) }],
  }));
  const total: TotalContext = {
    points: totalInput,
    results: evaluate(totalInput, ctx, null),
    check: {
      value: total2028 ? totalModel.forecast(total2028.targetYear - baseYear).point[total2028.targetYear - baseYear - 1] : Number.NaN,
      published: total2028?.value ?? Number.NaN,
      source: total2028?.source ?? DOC_001,
      line: total2028?.line ?? 3353,
    },
    targetValue: totalTarget,
  };

  const variant = (spec: VariantSpec, published: number): InputVariant => {
    const points = spec.points.map((p) => resolvePoint(ds, p));
    const results = evaluate(points, ctx, published);
    return { id: spec.id, definition: spec.definition, rationale: spec.rationale, points, results, closest: closestOf(results) };
  };

  const partial = PLACEMENT_FIGURES.map((figure, i) => {
    const spec = FIGURE_SPECS[figure];
    const pr = projections[i];
    const published = pr.percentChange as number;
    const primary = variant(spec.primary, published);
    const alternatives = spec.alternatives.map((a) => variant(a, published));
    const laterObservations = spec.later.map((l): LaterObservation => {
      const parts = l.parts.map((p) => resolvePart(ds, p));
      return { date: l.date, value: parts.reduce((a, p) => a + p.value, 0), parts, note: l.note };
    });
    return {
      figure,
      label: spec.label,
      definition: spec.definition,
      published: { percentChange: published, baseYear: pr.baseYear, targetYear: pr.targetYear, source: pr.source, line: pr.line, statement: pr.statement },
      primary,
      alternatives,
      laterObservations,
      missing: spec.missing,
      matches: primary.results.filter((r) => r.withinTolerance).map((r) => r.candidate),
      rangeMatches: primary.results.filter((r) => r.withinRange).map((r) => r.candidate),
    };
  });

  const consistentCandidates = PLACEMENT_REPRODUCTION_CANDIDATES.map((m) => m.id).filter((id) => partial.every((f) => f.matches.includes(id)));
  const rangeConsistentCandidates = PLACEMENT_REPRODUCTION_CANDIDATES.map((m) => m.id).filter((id) => partial.every((f) => f.rangeMatches.includes(id)));
  const errorsElsewhere = (figure: PlacementFigure, id: CandidateId): string =>
    partial
      .filter((o) => o.figure !== figure)
      .map((o) => {
        const r = o.primary.results.find((x) => x.candidate === id) as CandidateResult;
        return `${o.label} ${r.errorPoints === null ? 'n/a' : signed(r.errorPoints)}`;
      })
      .join(', ');

  const figures: FigureReproduction[] = partial.map((f) => {
    const reproduced = f.matches.some((id) => consistentCandidates.includes(id));
    const closest = f.primary.closest;
    const years = f.primary.points.map((p) => p.year).join(', ');
    const mismatched = f.primary.points.filter((p) => p.mismatch).map((p) => p.year);
    let verdict: string;
    if (reproduced) {
      const id = f.matches.find((m) => consistentCandidates.includes(m)) as CandidateId;
      const r = f.primary.results.find((x) => x.candidate === id) as CandidateResult;
      verdict = `reproduced: ${describeResult(r, f.published.percentChange)}, and the same method reproduces the other three figures.`;
    } else {
      const hits = f.matches.map((id) => {
        const r = f.primary.results.find((x) => x.candidate === id) as CandidateResult;
        return ` ${r.label} lands within ${REPRODUCTION_TOLERANCE_POINTS} points here (${signed(r.percentChange as number)}%), but the same method misses the other figures (errors in points: ${errorsElsewhere(f.figure, id)}), so it is not the statement's single method reproduced.`;
      });
      const near = f.rangeMatches.filter((id) => !f.matches.includes(id));
      const nearText =
        near.length === 0
          ? ''
          : ` Within the bounds of the rounded or suppressed inputs, ${near
              .map((id) => {
                const r = f.primary.results.find((x) => x.candidate === id) as CandidateResult;
                return `${r.label} (${signed((r.range as { low: number }).low)} to ${signed((r.range as { high: number }).high)}%)`;
              })
              .join(' and ')} could also give the published figure, but ${near.length === 1 ? 'it misses' : 'they miss'} other figures (${near
              .map((id) => `${id}: ${errorsElsewhere(f.figure, id)}`)
              .join('; ')}).`;
      verdict =
        `not reproducible from the data in the documents: the statement's inputs are not in the text (missing: ${f.missing}); ` +
        `the seeds hold ${years}${mismatched.length > 0 ? ` (${mismatched.join(', ')} with definitional caveats, see the mismatch notes)` : ''}. ` +
        `Closest documented method: ${describeResult(closest, f.published.percentChange)}; the same method misses the other figures by ${errorsElsewhere(f.figure, closest.candidate)} points.` +
        hits.join('') +
        nearText;
    }
    return { ...f, reproduced, verdict };
  });

  const nRepro = figures.filter((f) => f.reproduced).length;
  const verdict =
    nRepro === figures.length
      ? `All four placement projections are reproduced by ${consistentCandidates.join(', ')} on the seed inputs.`
      : `${nRepro === 0 ? 'None' : `${nRepro}`} of the four placement projections (${baseYear}-${targetYear}) ${nRepro === 1 || nRepro === 0 ? 'is' : 'are'} reproduced from the seed data: no single documented reading of "average increases from historical data" (${PLACEMENT_REPRODUCTION_CANDIDATES.length} candidates, ${DOC_001.slice(0, 3)}:3804-3805) lands within ${REPRODUCTION_TOLERANCE_POINTS} points of all four. ` +
        `The statement's inputs (yearly counts by placement type and provider; its appendix tabulates DfE data for 2019-2023) are not printed in the text; the seeds have 2018, 2019, 2020 (other definitions) and 2023. ` +
        `${rangeConsistentCandidates.length === 0 ? `Even allowing for the bounds of the suppressed and rounded inputs, no candidate fits all four. ` : `Within the bounds of the suppressed and rounded inputs, ${rangeConsistentCandidates.join(', ')} cannot be ruled out for any figure. `}` +
        `Closest per figure: ${figures.map((f) => `${f.label} ${f.primary.closest.label} ${signed(f.primary.closest.percentChange as number)}% (published ${signed(f.published.percentChange, 0)}%, error ${signed(f.primary.closest.errorPoints as number)})`).join('; ')}.`;

  return {
    area: seed.dataset.area.name,
    baseYear,
    targetYear,
    horizon: h,
    tolerancePoints: REPRODUCTION_TOLERANCE_POINTS,
    statedMethod: {
      text: 'forecasts on demand for placements over 2025 - 2035, calculated using average increases from historical data to the Children in Care population in recent years',
      source: DOC_001,
      line: 3804,
    },
    candidates: PLACEMENT_REPRODUCTION_CANDIDATES,
    total,
    figures,
    consistentCandidates,
    rangeConsistentCandidates,
    verdict,
  };
}

// ---------------------------------------------------------------------------
// Output

const SHORT: Record<PlacementFigure, string> = { fostering: 'fostering', residential: 'residential', internal: 'internal', privateVoluntary: 'private/vol.' };

function pad(t: string, w: number): string {
  return t.length >= w ? t : t + ' '.repeat(w - t.length);
}
function padL(t: string, w: number): string {
  return t.length >= w ? t : ' '.repeat(w - t.length) + t;
}
function src(source: string, line: number): string {
  return `${source.slice(0, 3)}:${line}`;
}

/**
 * Format a reproduction as plain text: the stated method and the check on
 * the total, a method x figure table of % changes with errors in points
 * (the closest per figure marked `*`, hits within tolerance `=`), the inputs
 * by year with their parts and sources, the alternatives, and the verdicts.
 *
 * @param r - the result of {@link reproduceDerbyshirePlacementProjections}
 * @returns the text, lines joined by `\n` (no trailing newline)
 * @example
 * ```ts
 * console.log(formatReproductionTable(reproduceDerbyshirePlacementProjections()));
 * ```
 */
export function formatReproductionTable(r: DerbyshirePlacementReproduction): string {
  const out: string[] = [];
  out.push(`${r.area}: placement projections ${r.baseYear}-${r.targetYear}, reproduced from the seed data`);
  out.push(`Stated method (${src(r.statedMethod.source, r.statedMethod.line)}): "${r.statedMethod.text}"`);
  out.push(
    `Check on the total: 2018-${r.baseYear} growth rounded to a whole percent, applied again, gives ${r.total.check.value.toFixed(1)} in 2028 (published ${r.total.check.published}, ${src(r.total.check.source, r.total.check.line)}); continued to ${r.targetYear}: ${r.total.targetValue.toFixed(1)}.`,
  );
  out.push('');
  out.push(
    `% change ${r.baseYear}-${r.targetYear} (error vs published, points); * closest, = within ${r.tolerancePoints} points, ~ published figure inside the range the inputs' bounds allow`,
  );
  const W0 = 30;
  const W = 20;
  out.push(pad('method', W0) + r.figures.map((f) => padL(SHORT[f.figure], W)).join('') + padL('total', 10));
  out.push(pad('published', W0) + r.figures.map((f) => padL(`${signed(f.published.percentChange, 0)} (${src(f.published.source, f.published.line)})`, W)).join('') + padL('-', 10));
  r.candidates.forEach((m, i) => {
    const cells = r.figures.map((f) => {
      const x = f.primary.results[i];
      if (x.percentChange === null) return padL('n/a', W);
      const mark = `${x.withinTolerance ? '=' : x.candidate === f.primary.closest.candidate ? '*' : ' '}${x.withinRange && !x.withinTolerance ? '~' : ' '}`;
      return padL(`${signed(x.percentChange)} (${signed(x.errorPoints as number)})${mark}`, W);
    });
    const t = r.total.results[i].percentChange;
    out.push(pad(m.id, W0) + cells.join('') + padL(t === null ? 'n/a' : signed(t), 10));
  });
  out.push(pad('reproduced', W0) + r.figures.map((f) => padL(f.reproduced ? 'yes' : 'no', W)).join(''));
  out.push('');
  out.push('Inputs (primary; children at 31 March):');
  for (const f of r.figures) {
    out.push(`  ${f.label}: ${f.primary.definition}`);
    for (const p of f.primary.points) {
      const parts = p.parts.map((q) => `${q.value}${q.low !== q.high ? ` [${q.low}-${q.high}]` : ''} ${q.label} (${src(q.source, q.line)})`).join(' + ');
      out.push(`    ${p.year}: ${Number.isInteger(p.value) ? p.value : p.value.toFixed(1)}${p.low !== p.high ? ` [${p.low}-${p.high}]` : ''} = ${parts}`);
    }
    const mm = [...new Set(f.primary.points.map((p) => p.mismatch).filter((x): x is string => x !== undefined))];
    for (const m of mm) out.push(`    mismatch: ${m}`);
    for (const l of f.laterObservations) out.push(`    later, ${l.date}: ${l.value} (${l.parts.map((q) => src(q.source, q.line)).join(', ')}); ${l.note}`);
  }
  for (const f of r.figures) {
    for (const a of f.alternatives) {
      out.push(`  ${f.label}, alternative "${a.id}": ${a.definition}; ${a.rationale}. Closest: ${describeResult(a.closest, f.published.percentChange)}.`);
    }
  }
  out.push('');
  out.push('Verdicts:');
  for (const f of r.figures) out.push(`  ${f.label} (${signed(f.published.percentChange, 0)}%, ${src(f.published.source, f.published.line)}): ${f.verdict}`);
  out.push('');
  out.push(`Overall: ${r.verdict}`);
  return out.join('\n');
}

/** One tidy row per figure x input variant x candidate method. */
export interface ReproductionRecord {
  /** Area name. */
  area: string;
  /** Figure. */
  figure: PlacementFigure;
  /** Input variant (`primary` or an alternative's id). */
  input_variant: string;
  /** Candidate method id. */
  method: CandidateId;
  /** Method family. */
  family: CandidateFamily;
  /** Window in years, or null. */
  window: number | null;
  /** First data year used, or null. */
  from_year: number | null;
  /** Base year. */
  base_year: number;
  /** Target year. */
  target_year: number;
  /** The group's base-year count used. */
  base_value: number;
  /** Projected count in the target year (null when not computable). */
  projected: number | null;
  /** % change base to target (null when not computable). */
  pct_change: number | null;
  /** Low end of the % change over the inputs' bounds (null when exact). */
  pct_change_low: number | null;
  /** High end of the % change over the inputs' bounds (null when exact). */
  pct_change_high: number | null;
  /** Published % change. */
  published_pct: number;
  /** Error in percentage points (null when not computable). */
  error_points: number | null;
  /** Within tolerance. */
  within_tolerance: boolean;
  /** This method is the closest for the figure and variant. */
  closest: boolean;
  /** The figure counts as reproduced (same for every row of the figure). */
  reproduced: boolean;
  /** Source file of the published figure. */
  source: string;
  /** Source line of the published figure. */
  line: number;
}

/**
 * A reproduction as tidy rows, one per figure x input variant x candidate
 * method, with stable snake_case columns.
 *
 * @param r - the result of {@link reproduceDerbyshirePlacementProjections}
 * @returns the rows, figures in {@link PLACEMENT_FIGURES} order, primary inputs first
 * @example
 * ```ts
 * const rows = reproductionRecords(reproduceDerbyshirePlacementProjections());
 * rows.filter((x) => x.closest && x.input_variant === 'primary');   // the closest method per figure
 * ```
 */
export function reproductionRecords(r: DerbyshirePlacementReproduction): ReproductionRecord[] {
  const rows: ReproductionRecord[] = [];
  for (const f of r.figures) {
    for (const v of [f.primary, ...f.alternatives]) {
      const base = v.points.find((p) => p.year === r.baseYear)?.value ?? Number.NaN;
      for (const x of v.results) {
        rows.push({
          area: r.area,
          figure: f.figure,
          input_variant: v.id,
          method: x.candidate,
          family: x.family,
          window: x.window,
          from_year: x.fromYear,
          base_year: r.baseYear,
          target_year: r.targetYear,
          base_value: base,
          projected: x.projected,
          pct_change: x.percentChange,
          pct_change_low: x.range?.low ?? null,
          pct_change_high: x.range?.high ?? null,
          published_pct: f.published.percentChange,
          error_points: x.errorPoints,
          within_tolerance: x.withinTolerance,
          closest: x.candidate === v.closest.candidate,
          reproduced: f.reproduced,
          source: f.published.source,
          line: f.published.line,
        });
      }
    }
  }
  return rows;
}

/** One tidy row per input part: which published number went into which group's count. */
export interface ReproductionInputRecord {
  /** Figure. */
  figure: PlacementFigure;
  /** Input variant. */
  input_variant: string;
  /** Year (31 March). */
  year: number;
  /** The group's count in the year (sum of the parts). */
  group_value: number;
  /** The part's label. */
  part: string;
  /** The part's value. */
  value: number;
  /** The part's lowest consistent value. */
  low: number;
  /** The part's highest consistent value. */
  high: number;
  /** Source file. */
  source: string;
  /** Source line. */
  line: number;
  /** How the value was derived (empty when printed as a count). */
  derivation: string;
  /** How the year's definition differs from the statement's (empty when it does not). */
  mismatch: string;
}

/**
 * The inputs of a reproduction as tidy rows, one per published part, with
 * its source and line: the provenance of every number the methods used.
 *
 * @param r - the result of {@link reproduceDerbyshirePlacementProjections}
 * @returns the rows, by figure, variant, year and part
 * @example
 * ```ts
 * reproductionInputRecords(reproduceDerbyshirePlacementProjections())
 *   .filter((x) => x.figure === 'residential' && x.year === 2018);   // the four parts of 2018's 139
 * ```
 */
export function reproductionInputRecords(r: DerbyshirePlacementReproduction): ReproductionInputRecord[] {
  const rows: ReproductionInputRecord[] = [];
  for (const f of r.figures) {
    for (const v of [f.primary, ...f.alternatives]) {
      for (const p of v.points) {
        for (const q of p.parts) {
          rows.push({
            figure: f.figure,
            input_variant: v.id,
            year: p.year,
            group_value: p.value,
            part: q.label,
            value: q.value,
            low: q.low,
            high: q.high,
            source: q.source,
            line: q.line,
            derivation: q.derivation ?? '',
            mismatch: p.mismatch ?? '',
          });
        }
      }
    }
  }
  return rows;
}
