/**
 * The system's dynamics fitted on a panel as known at an origin: the flow
 * rates' pooled mean reversion and correlated shocks, and each breakdown's
 * share dynamics (S0, S1 or S2, chosen by evidence). The fit is plain
 * JSON-serialisable data: the bundled DfE fit (`loadDfeSystem`) is one, saved.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../data/errors.js';
import { fitFlowDynamics, type FlowDynamics } from './flowFit.js';
import { prepareArea, type PreparedArea, type SystemInput } from './input.js';
import { fitShareDynamics } from './shareFit.js';
import { shareData } from './logRatios.js';
import { SHARE_MODELS, type ShareDynamics } from './shares.js';
import { SHARE_SCALE_ESTIMATORS, type ShareScaleEstimator } from './innovationCovariance.js';

/**
 * The system dynamics of a panel at an origin (see
 * {@link fitSystemDynamics}); JSON-serialisable.
 *
 * @example
 * ```ts
 * const dyn: SystemDynamics = loadDfeSystem();
 * dyn.flows?.beta;                   // { entry, exit }: the pooled mean reversion
 * dyn.dimensions.placement.model;    // 'S0', 'S1' or 'S2'
 * ```
 */
export interface SystemDynamics {
  /** Tells a system fit apart from other objects. */
  readonly kind: 'systemDynamics';
  /** The last year of data used. */
  readonly origin: number;
  /** What the panel was, in words. */
  readonly description: string;
  /** Areas in the panel. */
  readonly areas: number;
  /** The flow dynamics (`null` when no area had flows). */
  readonly flows: FlowDynamics | null;
  /** The share dynamics of each breakdown, by dimension. */
  readonly dimensions: Readonly<Record<string, ShareDynamics>>;
}

/** Options of {@link fitSystemDynamics}. */
export interface FitSystemDynamicsOptions {
  /** The last year used (default: the latest stock year of the panel). */
  readonly origin?: number;
  /** What the panel is, in words (default: `N areas`). */
  readonly description?: string;
  /** A breakdown's reference group (default: the group with the largest average share over the panel). */
  readonly references?: Readonly<Record<string, string>>;
  /** A breakdown's groups reported as sums of groups (e.g. `{ placement: { residential: ['homes_secure', 'independent_supported'] } }`). */
  readonly derived?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /**
   * The share innovations' covariance estimator: `'evidence'` (the default) chooses per breakdown
   * between `classical`, `exclude` and `mad` by the 1-3 year CRPS of held-out shares as known at the
   * origin (docs/preregistration/issue-13-robust-shares.md); an estimator's name forces it.
   */
  readonly shareScale?: ShareScaleEstimator | 'evidence';
}

/**
 * The reference group of a breakdown pooled over areas: the largest average
 * share.
 */
function largestShare(areas: readonly PreparedArea[], dim: string, groups: readonly string[]): string {
  const sum = new Float64Array(groups.length);
  let n = 0;
  for (const a of areas) {
    const t = a.tables.get(dim);
    if (!t) continue;
    for (const y of t.years) {
      const tot = y.counts.reduce((s, c) => s + c, 0);
      if (!(tot > 0)) continue;
      t.groups.forEach((g, i) => (sum[groups.indexOf(g)] += y.counts[i] / tot));
      n++;
    }
  }
  let best = 0;
  for (let g = 1; g < groups.length; g++) if (sum[g] > sum[best]) best = g;
  return n > 0 ? groups[best] : groups[0];
}

/**
 * Fit the system dynamics on a panel as known at an origin
 * (docs/preregistration/issue-13-system-model.md, sections 2-3): the
 * flows' pooled beta per rate, the shocks' covariance and the panel's mean
 * rates, and for every breakdown the candidates S0, S1 and S2, the choice
 * between them by their 1-3 year share errors as known at the origin, and
 * the chosen model's innovation covariance by the estimator (classical,
 * exclude or mad) chosen by the 1-3 year CRPS of held-out shares as known at
 * the origin (docs/preregistration/issue-13-robust-shares.md). Every area of a breakdown must
 * have the same groups.
 *
 * @param panel - the areas' series (a Map by name, or a list)
 * @param options - origin, description, reference and derived groups per breakdown
 * @returns the dynamics
 * @throws CarecastInputError for a bad input series, a breakdown whose groups differ between areas, flows with no usable transition, or a breakdown with no two consecutive years
 * @example
 * ```ts
 * const dyn = fitSystemDynamics(dfeSystemPanel(), { origin: 2021 }); // as known at 2021
 * projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2024, dynamics: dyn, upTo: 2021 });
 * ```
 */
export function fitSystemDynamics(panel: ReadonlyMap<string, SystemInput> | readonly SystemInput[], options: FitSystemDynamicsOptions = {}): SystemDynamics {
  const inputs = Array.isArray(panel) ? (panel as readonly SystemInput[]) : [...(panel as ReadonlyMap<string, SystemInput>).values()];
  const names = Array.isArray(panel) ? undefined : [...(panel as ReadonlyMap<string, SystemInput>).keys()];
  if (inputs.length === 0) throw new CarecastInputError([{ source: 'system dynamics', field: 'panel', message: 'no area given', fix: 'give at least one area' }]);
  const origin = options.origin ?? Math.max(...inputs.map((x) => prepareArea(x).stockYear));
  const areas: PreparedArea[] = [];
  for (let i = 0; i < inputs.length; i++) {
    try {
      areas.push(prepareArea(names ? { area: names[i], ...inputs[i] } : inputs[i], origin));
    } catch (e) {
      // an area with nothing up to the origin takes no part
      if (!(e instanceof CarecastInputError && /no children in care/.test(e.message))) throw e;
    }
  }
  const withFlows = areas.flatMap((a) => (a.flows ? [a.flows] : []));
  const flows = withFlows.length > 0 ? fitFlowDynamics(withFlows, origin) : null;
  const dims = [...new Set(areas.flatMap((a) => [...a.tables.keys()]))];
  const dimensions: Record<string, ShareDynamics> = {};
  for (const dim of dims) {
    const withDim = areas.filter((a) => a.tables.has(dim));
    const groups = withDim[0].tables.get(dim)?.groups ?? [];
    const key = [...groups].sort().join('\u0000');
    const odd = withDim.filter((a) => [...(a.tables.get(dim)?.groups ?? [])].sort().join('\u0000') !== key);
    if (odd.length > 0) {
      throw new CarecastInputError([
        {
          source: 'system dynamics',
          field: dim,
          message: `the ${dim} groups differ between areas: ${withDim[0].area} has ${groups.join(', ')}, ${odd[0].area} has ${odd[0].tables.get(dim)?.groups.join(', ')}`,
          fix: 'give every area the same groups (a remainder group is added where an area\u2019s groups fall short of its total)',
        },
      ]);
    }
    const reference = options.references?.[dim] ?? largestShare(withDim, dim, groups);
    if (!groups.includes(reference)) {
      throw new CarecastInputError([{ source: 'system dynamics', field: `references.${dim}`, message: `reference group "${reference}" is not one of ${groups.join(', ')}`, fix: 'name one of the groups' }]);
    }
    const data = withDim.map((a) => {
      const t = a.tables.get(dim)!;
      // every area in the first area's group order
      const order = groups.map((g) => t.groups.indexOf(g));
      return shareData({ ...t, groups, years: t.years.map((y) => ({ ...y, counts: order.map((i) => y.counts[i]) })) }, reference);
    });
    dimensions[dim] = fitShareDynamics(data, origin, dim, options.derived?.[dim] ?? {}, options.shareScale ?? 'evidence');
  }
  return {
    kind: 'systemDynamics',
    origin,
    description: options.description ?? `${areas.length} area${areas.length === 1 ? '' : 's'}`,
    areas: areas.length,
    flows,
    dimensions,
  };
}

// ---------------------------------------------------------------------------
// JSON

const num = z.number().finite();
/** JSON has no NaN: written as null, read back as NaN. */
const nanOr = z.number().finite().nullable();
const pair = z.strictObject({ entry: num, exit: num });
const FlowSchema = z.strictObject({
  beta: pair,
  betaRaw: pair,
  sd: pair,
  correlation: num,
  panelMean: z.strictObject({ entry: nanOr, exit: nanOr }),
  rows: z.strictObject({ entry: z.number().int().nonnegative(), exit: z.number().int().nonnegative(), paired: z.number().int().nonnegative() }),
  areas: z.number().int().nonnegative(),
});
const ShareSchema = z.strictObject({
  groups: z.array(z.string()).min(2),
  reference: z.string(),
  logRatios: z.array(z.string()),
  derived: z.record(z.string(), z.array(z.string())),
  model: z.enum(SHARE_MODELS as [string, ...string[]]),
  scores: z.array(z.strictObject({ model: z.enum(SHARE_MODELS as [string, ...string[]]), mae: z.number().nullable(), se: z.number().nullable() })),
  forecasts: z.number().int().nonnegative(),
  rule: z.string(),
  beta: z.array(num).nullable(),
  w: num.min(0).max(1),
  phi: num.gt(0).max(1),
  panelDrift: z.array(num),
  covariance: z.array(z.array(num)),
  lambda: num.min(0).max(1),
  scale: z.strictObject({
    estimator: z.enum(SHARE_SCALE_ESTIMATORS as [ShareScaleEstimator, ...ShareScaleEstimator[]]),
    scores: z.array(z.strictObject({ estimator: z.enum(SHARE_SCALE_ESTIMATORS as [ShareScaleEstimator, ...ShareScaleEstimator[]]), crps: z.number().nullable(), diff: z.number().nullable(), se: z.number().nullable() })),
    forecasts: z.number().int().nonnegative(),
    rule: z.string(),
    excluded: z.number().int().nonnegative(),
  }),
  rows: z.number().int().nonnegative(),
  areas: z.number().int().nonnegative(),
});
/** The zod schema of a {@link SystemDynamics} read from JSON. */
export const SystemDynamicsSchema = z.strictObject({
  kind: z.literal('systemDynamics'),
  origin: z.number().int(),
  description: z.string(),
  areas: z.number().int().nonnegative(),
  flows: FlowSchema.nullable(),
  dimensions: z.record(z.string(), ShareSchema),
});

/**
 * Read system dynamics saved as JSON (`JSON.stringify(fitSystemDynamics(...))`).
 *
 * @param json - the parsed JSON
 * @param source - where it came from, for messages
 * @returns the dynamics
 * @throws CarecastInputError naming each bad field, or a breakdown whose parameters do not fit its groups
 * @example
 * ```ts
 * const dyn = parseSystemDynamics(JSON.parse(readFileSync('system.json', 'utf8')), 'system.json');
 * ```
 */
export function parseSystemDynamics(json: unknown, source: string): SystemDynamics {
  const parsed = SystemDynamicsSchema.safeParse(json);
  if (!parsed.success) {
    throw new CarecastInputError(parsed.error.issues.slice(0, 20).map((i) => ({ source, field: i.path.join('.') || '(root)', message: i.message, fix: 'save the result of fitSystemDynamics(...) with JSON.stringify' })));
  }
  const d = parsed.data;
  const problems = Object.entries(d.dimensions).flatMap(([dim, s]) => {
    const j = s.groups.length - 1;
    const ok = s.groups.includes(s.reference) && s.logRatios.length === j && s.panelDrift.length === j && s.covariance.length === j && s.covariance.every((r) => r.length === j) && (s.beta === null || s.beta.length === j);
    return ok ? [] : [{ source, field: `dimensions.${dim}`, message: `the parameters do not fit ${s.groups.length} groups with reference ${s.reference}`, fix: 'save the result of fitSystemDynamics(...) unchanged' }];
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  const nan = (v: number | null): number => (v === null ? Number.NaN : v);
  return {
    ...d,
    flows: d.flows ? { ...d.flows, panelMean: { entry: nan(d.flows.panelMean.entry), exit: nan(d.flows.panelMean.exit) } } : null,
    dimensions: d.dimensions as Record<string, ShareDynamics>,
  };
}
