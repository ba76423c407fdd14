// @ts-check
/**
 * Everything the example page asks of carecast, in one module: the page
 * (app.js) only draws what this returns. It takes the library as an
 * argument, so the same calls run on the browser bundle in the page and on
 * the Node library in the end-to-end test, which checks that both give the
 * same numbers. When the system API changes, this is the file to change.
 *
 * @module
 */

/** The observed points of a stock series (an `AnnualSeries`, or year-value pairs as the episode model's observed series are). */
const stockPoints = (stock) => (Array.isArray(stock) ? stock : stock.points);

/** Weeks a year, as carecast's cost model counts them. */
const WEEKS = 52.18;

/**
 * The page's model over a carecast module (the browser bundle, or the Node
 * library's names gathered in one object).
 *
 * @param {any} cc - the carecast module (`import * as cc from './vendor/carecast/carecast.js'`)
 */
export function createModel(cc) {
  /** @type {any} */
  let panel;
  /** The worker that reads and projects dropped files, started with the page (none where there are no Web Workers, e.g. Node). */
  /** @type {any} */
  let ssda903Worker = null;

  return {
    /**
     * Load what the page needs once, before anything is asked (the bundled
     * data and the Excel writer), so that nothing is fetched afterwards.
     *
     * @returns the charts of a small warm-up projection (or null), for the page to draw out of sight
     */
    async ready() {
      // the SSDA903 worker loads the bundle and its data in the background, while the page does the same
      if (typeof globalThis.Worker === 'function') ssda903Worker = new cc.Ssda903Worker();
      await cc.loadBundledData();
      await cc.workbookBytes([], []);
      await ssda903Worker?.ready();
      panel = cc.loadDfePanel();
      // run a small projection once, so that the first one asked for does not wait for the code to compile;
      // its charts are returned for the page to draw out of sight, for the same reason
      const first = panel.areas.find((a) => a.level === 'local_authority');
      if (!first) return null;
      const input = this.fromPanel(first.name).input;
      const weekly = this.exampleWeeklyCosts();
      const result = this.project(input, { to: panel.years.at(-1) + 3, paths: 200, seed: 1, weekly: weekly.weekly, priceYear: weekly.priceYear, inflation: 0 });
      return this.charts(input, result);
    },

    /** The local authorities of the bundled DfE panel, by name. */
    areas() {
      return panel.areas.filter((a) => a.level === 'local_authority').map((a) => a.name);
    },

    /** The years the bundled panel covers. */
    panelYears() {
      return panel.years;
    },

    /**
     * The system input of an LA of the bundled DfE panel.
     *
     * @param {string} name - the LA
     */
    fromPanel(name) {
      const s = cc.findPanelArea(panel, name);
      return {
        label: `${s.area.name} (DfE, children looked after at 31 March ${s.childrenInCare.points[0].year}-${s.childrenInCare.points.at(-1).year})`,
        // the system model's DfE input: placement, provider and age groups, and the area's population
        input: cc.dfeSystemInput(s),
        quality: null,
      };
    },

    /**
     * Read dropped SSDA903 files (episodes, header, uasc per year), report
     * their quality and project the whole system with the episode model
     * (children simulated one by one), exactly as `carecast project
     * --ssda903 DIR` does with the same paths and seed: the CLI's defaults
     * for everything else (fitted to the last 31 March of the returns,
     * projected ten years past it). `projectSsda903FilesInWorker` runs it in
     * a Web Worker in a page, so that the page stays responsive; in this
     * thread where there is no Worker. Then cost it here.
     *
     * @param {readonly any[]} files - `File` objects, or `{ name, content }`
     * @param {{ paths: number, seed: number, weekly: Record<string, number>, priceYear: number, inflation: number }} o - the page's options (`to` is the CLI's default: ten years after the fit window)
     * @param {(stage: string) => void} [onProgress] - told as each stage starts
     * @param {string} [area] - a name for the data
     */
    async fromSsda903(files, o, onProgress, area = 'SSDA903 returns') {
      const options = {
        read: { lenient: true, area },
        system: { paths: o.paths, seed: o.seed, levels: [80, 95] },
      };
      const r = await cc.projectSsda903FilesInWorker(files, { ...options, ...(ssda903Worker ? { worker: ssda903Worker } : {}), ...(onProgress ? { onProgress } : {}) });
      const q = r.quality;
      const to = r.system ? r.system.years.at(-1) : stockPoints(r.input.stock).at(-1).year + 10;
      return {
        label: `${area} (${q.returns.length} returns to 31 March ${q.returns.at(-1).year}, ${q.episodes.toLocaleString('en-GB')} episodes)`,
        input: r.input,
        quality: this.quality(q),
        to,
        ranIn: r.ranIn,
        timings: r.timings,
        options,
        raw: r,
        result: this.complete(r.input, r.system, r.problems, { ...o, to }),
      };
    },

    /**
     * The data-quality report as the page shows it: the returns, every
     * repair made by kind with examples, the rows left out and the notes.
     *
     * @param {any} q - the library's report (`Ssda903QualityReport`)
     */
    quality(q) {
      return {
        returns: q.returns.map((r) => ({ year: r.year, file: r.source, rows: r.rows, inferred: r.inferred })),
        episodes: q.episodes,
        children: q.children,
        repairs: q.repairs.filter((r) => r.count > 0).map((r) => ({ kind: r.kind, n: r.count, examples: r.examples.map(cc.formatEpisodeFix) })),
        rejected: q.rowsLeftOut.map((p) => ({ source: p.source, row: p.row ?? null, field: p.field ?? '', message: p.message, fix: p.fix ?? '' })),
        notes: [...q.notes],
      };
    },

    /**
     * Weekly costs to start from: Derbyshire County Council's 2022/23 spend
     * over its placements (the bundled seed quotes its sufficiency
     * statement), fostering and residential; an example to replace with the
     * LA's own.
     */
    exampleWeeklyCosts() {
      const u = cc.unitCostsFromSeed(cc.loadSeed('derbyshire'));
      const out = {};
      for (const group of ['fostering', 'residential']) {
        const ds = u.derivations.filter((d) => d.year === 2023 && d.group.startsWith(`${group}_`));
        const placements = ds.map((d) => d.inputs.find((i) => i.name.startsWith('placements'))?.value ?? NaN);
        const spend = ds.reduce((a, d, i) => a + d.weekly * placements[i] * WEEKS, 0);
        const n = placements.reduce((a, b) => a + b, 0);
        if (ds.length > 0 && Number.isFinite(n) && n > 0) out[group] = Math.round(spend / (n * WEEKS));
      }
      return { weekly: out, priceYear: 2023, source: "Derbyshire County Council, 2022/23 spend / placements (bundled seed, its sufficiency statement)" };
    },

    /**
     * Project the whole system of an LA of the panel with the aggregate
     * model (total, starters, leavers, placement and provider groups, with
     * 80% and 95% bands), and cost the placement
     * groups. When the whole-system model cannot be fitted to the data (e.g.
     * a year with no starters), children in care are projected on their own
     * (`forecast`), and `system` says why.
     *
     * @param {any} input - from fromPanel or fromSsda903
     * @param {{ to: number, paths: number, seed: number, weekly: Record<string, number>, priceYear: number, inflation: number }} o
     */
    project(input, o) {
      let sys;
      try {
        sys = cc.projectSystem(input, { to: o.to, paths: o.paths, seed: o.seed, levels: [80, 95] });
      } catch (e) {
        if (!(e instanceof cc.CarecastInputError)) throw e;
        return this.complete(input, null, e.problems, o);
      }
      return this.complete(input, sys, [], o);
    },

    /**
     * A system projection costed, with its records; or, when the system
     * model could not be fitted (`sys` null), children in care projected on
     * their own, saying why.
     *
     * @param {any} input - from fromPanel or fromSsda903
     * @param {any} sys - the system projection, or null
     * @param {readonly any[]} problems - why there is none
     * @param {{ to: number, paths: number, seed: number, weekly: Record<string, number>, priceYear: number, inflation: number }} o
     */
    complete(input, sys, problems, o) {
      if (!sys) {
        const why = new cc.CarecastInputError(problems).message;
        const projection = cc.forecast(input.stock, { to: o.to, levels: [80, 95], conformal: cc.loadDfeCalibration('auto') });
        return { sys: null, projection, system: `The whole-system projection (starters, leavers, placement groups, costs) could not be made from these data: ${why}`, costs: null, records: cc.projectionRecords(projection), costRecords: [] };
      }
      const placement = sys.breakdowns.placement;
      const groups = placement.groups;
      // a cost given for a derived group (the DfE panel's residential: homes and secure + independent and supported) costs each of its parts
      const given = Object.entries(o.weekly).filter(([, v]) => Number.isFinite(v) && v >= 0);
      const weekly = Object.fromEntries([
        ...given.flatMap(([g, v]) => (groups.includes(g) ? [] : (placement.derived[g] ?? []).map((part) => [part, v]))),
        ...given.filter(([g]) => groups.includes(g)),
      ]);
      const costModel = {
        dimension: 'placement',
        priceYear: o.priceYear,
        weekly,
        inflation: { rate: o.inflation },
        uncosted: groups.filter((g) => !(g in weekly)),
        sources: Object.fromEntries(Object.keys(weekly).map((g) => [g, groups.includes(g) && g in o.weekly ? 'entered on the page' : `entered on the page (${Object.keys(placement.derived).find((d) => placement.derived[d].includes(g))})`])),
      };
      const costs = Object.keys(weekly).length > 0 ? cc.projectCosts(sys, costModel) : null;
      return { sys, projection: null, system: null, costs, records: cc.systemRecords(sys), costRecords: costs ? cc.costRecords(costs) : [] };
    },

    /** The area projected. */
    area(result) {
      return result.sys ? result.sys.area : result.projection.area;
    },

    /**
     * How the projection was made, in a sentence: for dropped files, the
     * episode model (children simulated one by one, points the paths'
     * medians), as the CLI says; for an LA of the panel, the aggregate model.
     *
     * @param {any} result - from project or fromSsda903
     */
    method(result) {
      if (!result.sys) return 'Children in care projected on their own (the whole-system projection could not be made).';
      if (result.sys.engine === 'episodes') return `Episode model: children simulated one by one from the returns, as carecast project --ssda903 does (same numbers for the same paths and seed). ${result.sys.summary}`;
      return 'Aggregate model: children in care anchored to the forecast of the published series, starters, leavers and groups from the DfE panel (as carecast project --la does).';
    },

    /** The caveats of the projection. */
    caveats(result) {
      return result.sys ? result.sys.caveats : [result.system, ...result.projection.caveats];
    },

    /**
     * The projection table: one row per year, the total with its bands,
     * starters and leavers (when the whole system was projected).
     *
     * @param {any} result - from project
     */
    table(result) {
      const total = result.sys ? result.sys.stock : result.projection;
      const years = result.sys ? result.sys.years : result.projection.years;
      const band = (level) => total.intervals.find((iv) => iv.level === level);
      const b80 = band(80);
      const b95 = band(95);
      return years.map((year, i) => ({
        year,
        point: total.point[i],
        lo_80: b80.lower[i],
        hi_80: b80.upper[i],
        lo_95: b95.lower[i],
        hi_95: b95.upper[i],
        started: result.sys?.started ? result.sys.started.point[i] : null,
        ceased: result.sys?.ceased ? result.sys.ceased.point[i] : null,
      }));
    },

    /**
     * The Vega-Lite charts: the total with its bands over the observed
     * years, the placement and provider groups, and the costs.
     *
     * @param {any} input - the input (for the observed years)
     * @param {any} result - from project
     */
    charts(input, result) {
      if (!result.sys) return { total: cc.fanChartSpec(result.projection) };
      const { sys, costs } = result;
      const observed = stockPoints(input.stock).filter((p) => p.value !== null).map((p) => ({ year: p.year, value: p.value, kind: 'observed' }));
      const rows = this.table(result);
      const total = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${sys.area}: children in care at 31 March`,
        width: 600,
        height: 300,
        layer: [
          { data: { values: rows }, mark: { type: 'area', opacity: 0.25, color: '#4c78a8' }, encoding: { x: { field: 'year', type: 'quantitative', axis: { format: 'd' } }, y: { field: 'lo_95', type: 'quantitative', title: 'children' }, y2: { field: 'hi_95' } } },
          { data: { values: rows }, mark: { type: 'area', opacity: 0.45, color: '#4c78a8' }, encoding: { x: { field: 'year', type: 'quantitative' }, y: { field: 'lo_80', type: 'quantitative' }, y2: { field: 'hi_80' } } },
          { data: { values: rows }, mark: { type: 'line', color: '#1f4e79' }, encoding: { x: { field: 'year', type: 'quantitative' }, y: { field: 'point', type: 'quantitative' } } },
          { data: { values: observed }, mark: { type: 'line', point: true, color: '#333' }, encoding: { x: { field: 'year', type: 'quantitative' }, y: { field: 'value', type: 'quantitative' } } },
        ],
      };
      const out = { total, placement: cc.mixChartSpec(sys, 'placement'), provider: cc.mixChartSpec(sys, 'provider') };
      if (costs) {
        const q = costs.total.quantiles;
        out.costs = cc.costChartSpec(costs.years.map((year, i) => ({ year, p10: q.p10[i], p50: q.p50[i], p90: q.p90[i] })));
      }
      return out;
    },

    /**
     * The projection as CSV (tidy rows: year, measure, group, point, median, share and the bands).
     *
     * @param {any} result - from project
     */
    csv(result) {
      return cc.toCsv(result.records);
    },

    /**
     * The costs as CSV (one row per financial year and group).
     *
     * @param {any} result - from project
     */
    costsCsv(result) {
      return cc.toCsv(result.costRecords);
    },

    /**
     * The Excel workbook: the projection, the costs, the data-quality report
     * (for dropped files), the assumptions and the caveats.
     *
     * @param {any} result - from project
     * @param {any} quality - the data-quality report, or null
     */
    async excel(result, quality) {
      const tables = [{ name: 'Projection', rows: result.records }];
      const money = result.costRecords.filter((r) => r.unit === 'gbp');
      const places = result.costRecords.filter((r) => r.unit !== 'gbp');
      if (money.length > 0) tables.push({ name: 'Costs', rows: money, currencyColumns: ['mean', 'p10', 'p50', 'p90'] });
      if (places.length > 0) tables.push({ name: 'Placements costed', rows: places });
      if (quality) {
        tables.push({ name: 'Data quality', rows: quality.repairs.map((r) => ({ repair: r.kind, count: r.n, example: r.examples[0] ?? '' })) });
        if (quality.rejected.length > 0) tables.push({ name: 'Rows left out', rows: quality.rejected });
      }
      return cc.workbookBytes(tables, result.costs ? result.costs.assumptions : [], { caveats: this.caveats(result) });
    },
  };
}
