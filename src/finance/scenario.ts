/**
 * Applying scenarios to a projection, and comparing them with the base.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { SamplePaths } from '../models/types.js';
import { projectCosts, type CapacityRule, type CostModel, type CostOptions, type CostProjection } from './costs.js';
import { checkPlacementPaths, placementPathsOf, type PlacementPaths } from './placements.js';
import { financialYearLabel } from '../data/financialYear.js';
import type { SystemProjection } from '../system/projectSystem.js';
import { pathBands } from '../uncertainty/pathBands.js';
import type { Lever, Scenario } from './levers.js';
import { describeLever } from './describe.js';

/**
 * The result of {@link applyScenario}.
 *
 * @example
 * ```ts
 * const base: ScenarioResult = applyScenario(sys, model, { name: 'base', levers: [] });
 * base.costs.total.quantiles.p50;   // the base's median cost per financial year
 * ```
 */
export interface ScenarioResult {
  /** The scenario's name. */
  readonly name: string;
  /** Its levers. */
  readonly levers: readonly Lever[];
  /** The placements under the scenario (the base's own paths when no lever changes them). */
  readonly placements: PlacementPaths;
  /** The costs under the scenario. */
  readonly costs: CostProjection;
  /**
   * Where a lever was limited to what is possible, in words: starters held
   * at zero, an exit rate capped at 1, a step-down capped at what its group
   * holds (empty when no lever was limited).
   */
  readonly warnings: readonly string[];
  /**
   * Where a lever acts on the projection's paths differently from what its
   * words suggest, in words (on the episode model's paths: the flow levers
   * rescale the paths rather than simulate the children again); empty
   * otherwise.
   */
  readonly notes: readonly string[];
}

/** Options of {@link applyScenario}. */
export interface ApplyScenarioOptions {
  /** Interval levels for the bands (default 80 and 95). */
  readonly levels?: readonly number[];
}

const FLOW_KINDS = new Set(['admissions', 'uasc', 'exitRate']);

function fail(problems: InputProblem[]): never {
  throw new CarecastInputError(problems);
}

function checkLevers(scenario: Scenario, pp: PlacementPaths, model: CostModel): void {
  const problems: InputProblem[] = [];
  const first = pp.years[0];
  const last = pp.years[pp.years.length - 1];
  const src = `scenario "${scenario.name}"`;
  const groups = new Set(pp.groups);
  const pools = new Set((model.capacity ?? []).map((r) => r.name));
  const add = (i: number, field: string, message: string, fix: string): void => {
    problems.push({ source: src, field: `levers[${i}].${field}`, message, fix });
  };
  const finite = (i: number, field: string, v: unknown): boolean => {
    if (typeof v === 'number' && Number.isFinite(v)) return true;
    add(i, field, `must be a finite number, got ${String(v)}`, 'give a number');
    return false;
  };
  if (typeof scenario.name !== 'string' || scenario.name.trim() === '') problems.push({ source: 'scenario', field: 'name', message: 'a scenario needs a name', fix: 'give it a name, e.g. "admissions -10% from 2026"' });
  scenario.levers.forEach((l, i) => {
    if (FLOW_KINDS.has(l.kind) && !(pp.started && pp.ceased)) {
      add(i, 'kind', `a ${l.kind} lever changes starters or leavers, and the projection has none`, 'project the system with starters and leavers (started and ceased in its input)');
    }
    const year = (field: string, y: unknown): void => {
      if (!finite(i, field, y)) return;
      const v = y as number;
      if (!Number.isInteger(v) || v < first || v > last) add(i, field, `year ${v} is outside the projected years ${first}-${last}`, `give a whole year from ${first} to ${last} (the year ending 31 March: ${first} = ${financialYearLabel(first)})`);
    };
    const group = (field: string, g: string): void => {
      if (!groups.has(g)) add(i, field, `unknown group "${g}" (the ${pp.dimension} groups are ${pp.groups.join(', ')})`, 'use one of the breakdown\'s groups');
    };
    switch (l.kind) {
      case 'admissions':
      case 'exitRate':
        year('from', l.from);
        if (finite(i, 'change', l.change) && l.change <= -1) add(i, 'change', `a change of ${l.change * 100}% would make the ${l.kind === 'admissions' ? 'starters' : 'exit rate'} negative`, 'give a change above -1 (-100%)');
        if (l.phaseYears !== undefined && !(Number.isInteger(l.phaseYears) && l.phaseYears >= 1)) add(i, 'phaseYears', `must be a whole number of years, 1 or more; got ${l.phaseYears}`, 'use 1 for at once');
        break;
      case 'uasc':
        year('from', l.from);
        if (l.to !== undefined) {
          year('to', l.to);
          if (l.to < l.from) add(i, 'to', `ends (${l.to}) before it starts (${l.from})`, 'give to >= from');
        }
        finite(i, 'change', l.change);
        break;
      case 'stepDown':
        year('from', l.from);
        group('fromGroup', l.fromGroup);
        group('toGroup', l.toGroup);
        if (l.fromGroup === l.toGroup) add(i, 'toGroup', 'moves children to the group they are in', 'name two different groups');
        if (finite(i, 'children', l.children) && l.children < 0) add(i, 'children', `children moved a year must be zero or more, got ${l.children}`, 'swap fromGroup and toGroup to move the other way');
        if (l.years !== undefined && !(Number.isInteger(l.years) && l.years >= 1)) add(i, 'years', `must be a whole number of years, 1 or more; got ${l.years}`, 'leave it out to run to the end');
        if (l.retention !== undefined && !(Number.isFinite(l.retention) && l.retention >= 0 && l.retention <= 1)) add(i, 'retention', `must be in [0, 1], got ${l.retention}`, 'give the share still stepped down a year later');
        break;
      case 'capacity':
        year('from', l.from);
        finite(i, 'change', l.change);
        if (!pools.has(l.pool)) add(i, 'pool', `unknown capacity pool "${l.pool}" (the cost model has: ${[...pools].join(', ') || 'none'})`, 'add the pool to the cost model\'s capacity, or name one of its pools');
        break;
      case 'costInflation':
        year('from', l.from);
        if (finite(i, 'rate', l.rate) && l.rate <= -1) add(i, 'rate', `rate ${l.rate} is not above -1`, 'give a fraction, e.g. 0.02');
        for (const g of l.groups ?? []) group('groups', g);
        break;
      default:
        problems.push({ source: src, field: `levers[${i}].kind`, message: `unknown lever kind "${String((l as { kind?: unknown }).kind)}"`, fix: 'use admissions, uasc, exitRate, stepDown, capacity or costInflation' });
    }
  });
  if (problems.length > 0) fail(problems);
}

const phase = (t: number, from: number, phaseYears: number): number => (t < from ? 0 : Math.min(1, (t - from + 1) / phaseYears));

/** Where a lever was limited: path-years limited out of the path-years it acts on, and the first year. */
interface Clamp {
  count: number;
  of: number;
  first: number | undefined;
}

const newClamp = (): Clamp => ({ count: 0, of: 0, first: undefined });

function clampWarning(scenario: string, levers: readonly Lever[], kinds: (l: Lever) => boolean, c: Clamp, what: string, done: string): string[] {
  if (c.count === 0 || c.first === undefined) return [];
  const named = levers.flatMap((l, i) => (kinds(l) ? [`levers[${i}] (${describeLever(l)})`] : [])).join(', ');
  const share = (100 * c.count) / Math.max(1, c.of);
  return [
    `scenario "${scenario}", ${named}: ${what} in ${share < 1 ? share.toPrecision(2) : share.toFixed(0)}% of the simulated years it acts on ` +
      `(${c.count} of ${c.of} path-years, from ${financialYearLabel(c.first)}); ${done}`,
  ];
}

/** Rebuild stock, starters and leavers under the flow levers; group paths rescaled to keep each path's mix. */
function applyFlows(pp: PlacementPaths, levers: readonly Lever[], clamps: { starters: Clamp; exits: Clamp } = { starters: newClamp(), exits: newClamp() }): PlacementPaths {
  const flow = levers.filter((l) => FLOW_KINDS.has(l.kind));
  if (flow.length === 0) return pp;
  const n = pp.stock.paths;
  const H = pp.years.length;
  const mk = (): Float64Array => new Float64Array(n * H);
  const stock = mk();
  const started = mk();
  const ceased = mk();
  const ratio = mk();
  const startMult = pp.years.map((t) => flow.reduce((m, l) => (l.kind === 'admissions' ? m * (1 + l.change * phase(t, l.from, l.phaseYears ?? 1)) : m), 1));
  const startAdd = pp.years.map((t) => flow.reduce((a, l) => (l.kind === 'uasc' && t >= l.from && t <= (l.to ?? Infinity) ? a + l.change : a), 0));
  const exitMult = pp.years.map((t) => flow.reduce((m, l) => (l.kind === 'exitRate' ? m * (1 + l.change * phase(t, l.from, l.phaseYears ?? 1)) : m), 1));
  if (!pp.started || !pp.ceased) return pp; // refused by checkLevers
  const S = pp.stock.values;
  const A = pp.started.values;
  const D = pp.ceased.values;
  for (let p = 0; p < n; p++) {
    let prevBase = pp.openingStock;
    let prev = pp.openingStock;
    for (let h = 0; h < H; h++) {
      const k = p * H + h;
      const atRisk = prevBase + A[k];
      const e = atRisk > 0 ? D[k] / atRisk : 0;
      const aRaw = A[k] * startMult[h] + startAdd[h];
      const a = Math.max(0, aRaw);
      const eRaw = e * exitMult[h];
      const e2 = Math.min(1, eRaw);
      if (startMult[h] !== 1 || startAdd[h] !== 0) {
        clamps.starters.of++;
        if (aRaw < 0) {
          clamps.starters.count++;
          if (clamps.starters.first === undefined || pp.years[h] < clamps.starters.first) clamps.starters.first = pp.years[h];
        }
      }
      if (exitMult[h] !== 1) {
        clamps.exits.of++;
        if (eRaw > 1) {
          clamps.exits.count++;
          if (clamps.exits.first === undefined || pp.years[h] < clamps.exits.first) clamps.exits.first = pp.years[h];
        }
      }
      const d = e2 * (prev + a);
      const s = prev + a - d;
      stock[k] = s;
      started[k] = a;
      ceased[k] = d;
      ratio[k] = S[k] > 0 ? s / S[k] : 0;
      prevBase = S[k];
      prev = s;
    }
  }
  const byGroup: Record<string, SamplePaths> = {};
  for (const g of pp.groups) {
    const src = pp.byGroup[g].values;
    const v = mk();
    for (let k = 0; k < n * H; k++) v[k] = src[k] * ratio[k];
    byGroup[g] = { paths: n, horizon: H, values: v };
  }
  // where the base stock is zero in a path, the scenario stock goes to the first group
  for (let k = 0; k < n * H; k++) if (!(S[k] > 0) && stock[k] > 0) (byGroup[pp.groups[0]].values as Float64Array)[k] = stock[k];
  const sp = (values: Float64Array): SamplePaths => ({ paths: n, horizon: H, values });
  return { ...pp, stock: sp(stock), started: sp(started), ceased: sp(ceased), byGroup };
}

/** Move children between groups (step-down levers), cumulatively; `clamps[i]`: where lever i moved fewer than it asked. */
function applyStepDowns(pp: PlacementPaths, levers: readonly Lever[], clamps: Map<number, Clamp> = new Map()): PlacementPaths {
  const steps = levers.filter((l) => l.kind === 'stepDown');
  if (steps.length === 0) return pp;
  const n = pp.stock.paths;
  const H = pp.years.length;
  const byGroup: Record<string, SamplePaths> = {};
  for (const g of pp.groups) byGroup[g] = { paths: n, horizon: H, values: Float64Array.from(pp.byGroup[g].values) };
  for (const l of steps) {
    const from = byGroup[l.fromGroup].values as Float64Array;
    const to = byGroup[l.toGroup].values as Float64Array;
    const end = l.years === undefined ? Infinity : l.from + l.years - 1;
    const keep = l.retention ?? 1;
    const c = newClamp();
    clamps.set(levers.indexOf(l), c);
    // children moved so far (before the cap of what the group holds), the same in every path
    const target: number[] = [];
    let m = 0;
    for (const t of pp.years) {
      m = m * (t > l.from ? keep : 1) + (t >= l.from && t <= end ? l.children : 0);
      target.push(t < l.from ? 0 : m);
    }
    for (let p = 0; p < n; p++) {
      for (let h = 0; h < H; h++) {
        const k = p * H + h;
        const moved = Math.min(target[h], from[k]);
        if (target[h] > 0) {
          c.of++;
          if (moved < target[h]) {
            c.count++;
            if (c.first === undefined || pp.years[h] < c.first) c.first = pp.years[h];
          }
        }
        from[k] -= moved;
        to[k] += moved;
      }
    }
  }
  return { ...pp, byGroup };
}

/** The cost model and index factors under the capacity and cost levers. */
function applyCostLevers(model: CostModel, pp: PlacementPaths, levers: readonly Lever[]): { model: CostModel; indexFactors: NonNullable<CostOptions['indexFactors']> } {
  let capacity: readonly CapacityRule[] | undefined = model.capacity;
  for (const l of levers) {
    if (l.kind !== 'capacity') continue;
    capacity = (capacity ?? []).map((r) => {
      if (r.name !== l.pool) return r;
      // places per year under the lever, as steps
      const steps = typeof r.places === 'number' ? [{ from: pp.years[0], places: r.places }] : [...r.places].sort((a, b) => a.from - b.from);
      const placesIn = (y: number): number => {
        let v = steps[0].places;
        for (const s of steps) if (s.from <= y) v = s.places;
        return v;
      };
      const years = [...new Set([...steps.map((s) => s.from), l.from])].sort((a, b) => a - b);
      const places = years.map((y) => ({ from: y, places: placesIn(y) + (y >= l.from ? l.change : 0) }));
      return { ...r, places };
    });
  }
  const indexFactors: Record<string, Record<number, number>> = {};
  for (const l of levers) {
    if (l.kind !== 'costInflation') continue;
    for (const g of l.groups ?? ['*']) {
      const f = (indexFactors[g] ??= {});
      for (const t of pp.years) if (t >= l.from) f[t] = (f[t] ?? 1) * (1 + l.rate) ** (t - l.from + 1);
    }
  }
  return { model: capacity === model.capacity ? model : { ...model, capacity }, indexFactors };
}

/**
 * Apply a named scenario to a projection and cost it. The base is not
 * changed; every lever is a transformation of the base's own simulated
 * paths (see the levers' module notes), so scenario and base share their
 * random numbers (common random numbers) and their path-by-path
 * differences measure the levers alone. A scenario with no levers is the
 * base.
 *
 * @param base - a system projection (the cost model's breakdown is taken) or placement paths
 * @param costs - the cost model (weekly costs, inflation, capacity)
 * @param scenario - the name and levers
 * @param options - interval levels
 * @returns the placements and costs under the scenario
 * @throws CarecastInputError for lever years outside the projection,
 *   unknown groups or capacity pools, changes that make starters or exit
 *   rates negative, and any cost-model error (negative costs, capacity below zero)
 * @example
 * ```ts
 * const base = applyScenario(sys, model, { name: 'base', levers: [] });
 * const fewer = applyScenario(sys, model, { name: 'admissions -10% from 2026', levers: [admissions(-0.1, 2026)] });
 * compareScenarios(base, [fewer]);
 * ```
 */
export function applyScenario(base: SystemProjection | PlacementPaths, costs: CostModel, scenario: Scenario, options: ApplyScenarioOptions = {}): ScenarioResult {
  const pp0 = 'breakdowns' in base ? placementPathsOf(base, costs.dimension) : base;
  checkPlacementPaths(pp0);
  if (!scenario || !Array.isArray(scenario.levers)) fail([{ source: 'scenario', field: 'levers', message: 'a scenario needs a list of levers', fix: 'give { name, levers: [...] } (levers may be empty for the base)' }]);
  checkLevers(scenario, pp0, costs);
  const flowClamps = { starters: newClamp(), exits: newClamp() };
  const stepClamps = new Map<number, Clamp>();
  const pp = applyStepDowns(applyFlows(pp0, scenario.levers, flowClamps), scenario.levers, stepClamps);
  const warnings = [
    ...clampWarning(scenario.name, scenario.levers, (l) => l.kind === 'uasc' || l.kind === 'admissions', flowClamps.starters, 'starters would fall below zero', 'they were held at zero'),
    ...clampWarning(scenario.name, scenario.levers, (l) => l.kind === 'exitRate', flowClamps.exits, 'the exit rate would pass 100%', 'it was held at 100% (every child leaves)'),
    ...[...stepClamps].flatMap(([i, c]) => {
      const l = scenario.levers[i];
      const from = l.kind === 'stepDown' ? l.fromGroup : '';
      return clampWarning(scenario.name, scenario.levers, (x) => x === l, c, `${from} held fewer children than the lever had moved so far`, 'the moves were capped at the children it held');
    }),
  ];
  const { model, indexFactors } = applyCostLevers(costs, pp, scenario.levers);
  const result = projectCosts(pp, model, { levels: options.levels, indexFactors });
  const flowLevers = scenario.levers.flatMap((l, i) => (FLOW_KINDS.has(l.kind) ? [`levers[${i}] (${describeLever(l)})`] : []));
  const notes =
    'engine' in base && base.engine === 'episodes' && flowLevers.length > 0
      ? [
          `scenario "${scenario.name}", ${flowLevers.join(', ')}: on the episode model's paths these levers work as on the aggregate model's: starters (or each path's exit rate) are changed and the total rebuilt through the stock identity, ` +
            'each group keeping its share of the path; the children are not simulated again, so the starters added or removed do not bring their own age and placement mix, and children reaching 18 scale with the other leavers.',
        ]
      : [];
  return { name: scenario.name, levers: scenario.levers, placements: pp, costs: result, warnings, notes };
}

/** One row of {@link compareScenarios}. */
export interface ComparisonRow {
  /** The scenario compared with the base. */
  readonly scenario: string;
  /** Year ending 31 March. */
  readonly year: number;
  /** Financial year label. */
  readonly financial_year: string;
  /** `children_in_care` and `started` (totals), `children` (a group at 31 March), `cost` (a group or the total, per financial year), `sufficiency_gap` (a pool at 31 March). */
  readonly measure: string;
  /** The group, pool, or `total`. */
  readonly group: string;
  /** `children` or `gbp`. */
  readonly unit: string;
  /** Median of the base. */
  readonly base_p50: number;
  /** Median of the scenario. */
  readonly scenario_p50: number;
  /** 10% quantile of the path-by-path difference (scenario - base). */
  readonly diff_p10: number;
  /** Median of the difference. */
  readonly diff_p50: number;
  /** 90% quantile of the difference. */
  readonly diff_p90: number;
  /** Mean of the difference. */
  readonly diff_mean: number;
}

/**
 * Compare scenarios with the base, as a tidy table: for every scenario,
 * year and measure (children in care, starters, children per group, cost
 * per group and in total, sufficiency gap per capacity pool), the base and
 * scenario medians and the P10/P50/P90 of the path-by-path difference
 * (scenario minus base). The scenarios must come from the same projection
 * (same paths, same years), which {@link applyScenario} guarantees when
 * given the same base.
 *
 * @param base - the base (a scenario with no levers)
 * @param scenarios - the scenarios to compare with it
 * @returns the rows, scenario by scenario, measure by measure, year by year
 * @throws CarecastInputError when a scenario has other years, paths or groups than the base
 * @example
 * ```ts
 * const rows = compareScenarios(base, [a, b]);
 * rows.filter((r) => r.measure === 'cost' && r.group === 'total'); // money per year, with bands
 * ```
 */
export function compareScenarios(base: ScenarioResult, scenarios: readonly ScenarioResult[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const b = base.placements;
  const n = b.stock.paths;
  const H = b.years.length;
  for (const s of scenarios) {
    const sp = s.placements;
    if (sp.stock.paths !== n || sp.years.join() !== b.years.join() || sp.groups.join() !== b.groups.join() || s.costs.groups.join() !== base.costs.groups.join()) {
      fail([{ source: `scenario "${s.name}"`, field: 'placements', message: 'has other years, paths or groups than the base', fix: 'apply every scenario to the same base projection and cost model' }]);
    }
    const measure = (name: string, group: string, unit: string, x: SamplePaths, y: SamplePaths): void => {
      const d = new Float64Array(n * H);
      for (let k = 0; k < n * H; k++) d[k] = y.values[k] - x.values[k];
      const qb = pathBands(x, [80]).quantiles.p50;
      const qs = pathBands(y, [80]).quantiles.p50;
      const qd = pathBands({ paths: n, horizon: H, values: d }, [80]);
      b.years.forEach((year, i) => {
        rows.push({
          scenario: s.name,
          year,
          financial_year: financialYearLabel(year),
          measure: name,
          group,
          unit,
          base_p50: qb[i],
          scenario_p50: qs[i],
          diff_p10: qd.quantiles.p10[i],
          diff_p50: qd.quantiles.p50[i],
          diff_p90: qd.quantiles.p90[i],
          diff_mean: qd.mean[i],
        });
      });
    };
    measure('children_in_care', 'total', 'children', b.stock, sp.stock);
    if (b.started && sp.started) measure('started', 'total', 'children', b.started, sp.started);
    for (const g of b.groups) measure('children', g, 'children', b.byGroup[g], sp.byGroup[g]);
    measure('cost', 'total', 'gbp', base.costs.paths.total, s.costs.paths.total);
    for (const g of base.costs.groups) measure('cost', g, 'gbp', base.costs.paths.byGroup[g], s.costs.paths.byGroup[g]);
    for (const suf of base.costs.sufficiency) {
      const other = s.costs.sufficiency.find((x) => x.name === suf.name);
      if (other) measure('sufficiency_gap', suf.name, 'children', suf.gapPaths, other.gapPaths);
    }
  }
  return rows;
}
