/**
 * A self-contained HTML report: the projection, the placement mix, costs,
 * a scenario comparison, the method and its caveats, and where the data
 * came from, in one file with the charts inlined as static SVG (rendered
 * with `vega`), no scripts and no external resources, so it opens offline
 * and can be e-mailed or attached to a sufficiency statement.
 *
 * @module
 */
import type { AnnualSeries } from '../data/schemas.js';
import type { Projection } from '../project/forecast.js';
import type { SystemProjection } from '../system/projectSystem.js';
import { fanChartSpec, renderSvg } from './fanChart.js';
import type { DifferenceRow } from './costWorkbook.js';
import { costChartSpec, mixChartSpec, type CostChartRow } from './mixChart.js';
import { missionCells, type MissionTable } from './systemTable.js';
import type { ComparisonRow } from '../finance/scenario.js';
import { GROUP_DIFFERENCE_HEADER, groupDifferenceCells } from './groupDifference.js';

/** One row of the report's data provenance table. */
export interface ReportProvenance {
  /** The source document or file. */
  readonly source: string;
  /** Line in the source, when known. */
  readonly line?: number;
  /** What was taken from it. */
  readonly note?: string;
}

/**
 * Input of {@link renderReport}; every section is optional except the title.
 *
 * @example
 * ```ts
 * const input: ReportInput = { title: 'Derbyshire: children in care to 2035', projection, system, provenance: provenanceOf(series) };
 * writeFileSync('report.html', await renderReport(input));
 * ```
 */
export interface ReportInput {
  /** Report title (the page's `<title>` and heading). */
  readonly title: string;
  /** An introductory paragraph (plain text). */
  readonly summary?: string;
  /** A projection of one series ({@link forecast}): fan chart and table. */
  readonly projection?: Projection;
  /** A system projection ({@link projectSystem}): totals table and one mix chart per breakdown. */
  readonly system?: SystemProjection;
  /**
   * The mission table (`missionTable` in `carecast/output`: total,
   * starters, leavers, fostering, residential, in-house, external in the
   * target year with their bands, the published and carecast's % changes):
   * an HTML table whose cells are the terminal's ({@link missionCells}).
   */
  readonly mission?: MissionTable;
  /** Paragraphs under the mission table: what its numbers are (`missionNotes`) and where the published figures come from. */
  readonly missionNotes?: readonly string[];
  /** The breakdowns of `system` to chart (default: all of them). */
  readonly mixDimensions?: readonly string[];
  /** Cost P10/P50/P90 per financial year (one scenario): chart and table. */
  readonly costs?: readonly CostChartRow[];
  /** Cost rows of several scenarios (`scenario` set): comparison chart and table. */
  readonly scenarios?: readonly CostChartRow[];
  /** Each scenario's difference from the base, with bands (`differenceRows` in `carecast/output`): a table per year and over all years. */
  readonly differences?: readonly DifferenceRow[];
  /** Rows of `compareScenarios` (base against each scenario): per scenario, the difference in children per group at the last year, with its 80% band (the cells the `costs` terminal prints). */
  readonly comparison?: readonly ComparisonRow[];
  /** The price basis of the money (e.g. `cash: 2022/23 prices uprated by 3.0% a year`, from `priceBasisOf`), stated with every cost chart and table. */
  readonly priceBasis?: string;
  /** Extra notes on the method (plain text paragraphs), after what the results say of themselves. */
  readonly method?: readonly string[];
  /** Caveats (plain text), listed before those the results carry. */
  readonly caveats?: readonly string[];
  /** Where the data came from. */
  readonly provenance?: readonly ReportProvenance[];
  /** A line for the footer, e.g. the date and carecast version (default none, so the same input gives the same file). */
  readonly footer?: string;
}

/**
 * Escape text for HTML element content and attribute values.
 *
 * @param text - any text
 * @returns the text with `&`, `<`, `>`, `"` and `'` escaped
 * @example
 * ```ts
 * escapeHtml('<b>"A&B"</b>'); // '&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The provenance rows of a series: one per distinct source and line, with
 * the years that came from it.
 *
 * @param series - an annual series whose points carry provenance
 * @returns the rows, in the order first met
 * @example
 * ```ts
 * provenanceOf(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'));
 * // [{ source: '000_….txt', line: 85, note: 'children_in_care 2018' }, ...]
 * ```
 */
export function provenanceOf(series: AnnualSeries): ReportProvenance[] {
  const byKey = new Map<string, { source: string; line?: number; years: number[]; notes: Set<string> }>();
  for (const p of series.points) {
    if (!p.provenance) continue;
    const key = `${p.provenance.source}\u0000${p.provenance.line ?? ''}`;
    let e = byKey.get(key);
    if (!e) {
      e = { source: p.provenance.source, line: p.provenance.line, years: [], notes: new Set() };
      byKey.set(key, e);
    }
    e.years.push(p.year);
    if (p.provenance.note) e.notes.add(p.provenance.note);
  }
  return [...byKey.values()].map((e) => ({
    source: e.source,
    ...(e.line !== undefined ? { line: e.line } : {}),
    note: [`${series.measure} ${e.years.join(', ')}`, ...e.notes].join('; '),
  }));
}

/**
 * Make a Vega SVG fit for inlining: ids prefixed so that several charts in
 * one page do not share clip paths, and the namespace declarations (which
 * HTML does not need) dropped so the page names no URL at all.
 */
function inlineSvg(svg: string, label: string, prefix: string): string {
  return svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/((?:xlink:)?href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${prefix}${id}"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(label)}"`);
}

type Cell = string | number | null | undefined;

function fmtCell(v: Cell, digits = 0): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(v);
  return v;
}

function table(caption: string, head: readonly string[], rows: readonly (readonly Cell[])[], digits = 0): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(fmtCell(c, digits))}</th>` : `<td>${escapeHtml(fmtCell(c, digits))}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

function para(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;max-width:980px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.25rem;border-bottom:1px solid #cbd5e0;padding-bottom:.2rem;margin-top:2rem}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
figure.chart{margin:1rem 0;overflow-x:auto}figure.chart svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#4a5568}
table{border-collapse:collapse;margin:1rem 0;font-size:.85rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding-bottom:.3rem}
th,td{border:1px solid #e2e8f0;padding:.2rem .5rem;text-align:right}thead th{background:#edf2f7}thead th:first-child{text-align:left}tbody th{text-align:left;font-weight:normal}
td:not(.text){white-space:nowrap}td.text,th.text{text-align:left}table.mission td,table.mission tbody th{white-space:nowrap}table.mission thead th{vertical-align:bottom;text-align:center}table.mission thead th.text{text-align:left}.caveats li{margin:.25rem 0}footer{margin-top:2rem;font-size:.8rem;color:#718096}
@media (max-width:720px){table{display:block;overflow-x:auto;max-width:100%}}
@media print{nav{display:none}figure.chart{break-inside:avoid}}
`;

/**
 * Render a report as one self-contained HTML file: charts as inline SVG
 * (rendered headless with `vega`; no scripts, no network, no external
 * fonts, styles or images), tables of the numbers, the method, the caveats
 * and the data provenance. All text from the input is escaped.
 *
 * Sections appear for what is given: the mission table for `mission`
 * (the terminal's cells, as an HTML table); a fan chart and table for
 * `projection`; a totals table (children in care, starters, leavers) and one
 * stacked mix chart per breakdown for `system`; a cost fan and table for
 * `costs`; a comparison chart and table for `scenarios`; then method,
 * caveats (yours, then those of the projection and the system, without
 * repeats) and provenance.
 *
 * @param input - the title and the results to report
 * @returns the HTML document
 * @throws CarecastInputError from the chart builders: a mix dimension the
 *   system does not have, or malformed cost rows
 * @example
 * ```ts
 * const html = await renderReport({
 *   title: 'Derbyshire: children in care to 2035',
 *   projection: forecast(cic, { to: 2035 }),
 *   system: projectSystem(input, { to: 2035, seed: 1 }),
 *   provenance: provenanceOf(cic),
 * });
 * writeFileSync('out/report.html', html);
 * ```
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const sections: { id: string; heading: string; body: string }[] = [];
  let charts = 0;
  const chart = async (spec: Parameters<typeof renderSvg>[0], label: string): Promise<string> => {
    // the Vega-Lite schema URL is not needed to render; leave it out of the page
    const { $schema: _schema, ...rest } = spec as { $schema?: string };
    const svg = await renderSvg(rest as Parameters<typeof renderSvg>[0]);
    return `<figure class="chart">${inlineSvg(svg, label, `cc${++charts}-`)}<figcaption>${escapeHtml(label)}</figcaption></figure>`;
  };
  const p = input.projection;
  const sp = input.system;

  if (input.summary) sections.push({ id: 'summary', heading: 'Summary', body: para(input.summary) });

  const mt = input.mission;
  if (mt) {
    const span = `${mt.baseYear}-${mt.targetYear}`;
    const changeCols = mt.hasPublished ? ['Published', 'carecast', '80% band'] : ['carecast', '80% band'];
    const th =
      `<tr><th scope="col" rowspan="2" class="text">Component</th><th scope="colgroup" colspan="3">Children in ${mt.targetYear}</th><th scope="colgroup" colspan="${changeCols.length}">% change ${escapeHtml(span)}</th></tr>` +
      `<tr>${['Point', '80% band', '95% band', ...changeCols].map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
    const body = mt.rows
      .map((r) => `<tr>${missionCells(mt, r).map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`)
      .join('\n');
    const caption = `${mt.area} in ${mt.targetYear}: children in care, starters and leavers, placements and providers, with 80% and 95% bands, and the % change from ${mt.baseYear}`;
    sections.push({
      id: 'mission',
      heading: `The care system in ${mt.targetYear}`,
      body: [`<table class="mission"><caption>${escapeHtml(caption)}</caption><thead>${th}</thead><tbody>\n${body}\n</tbody></table>`, ...(input.missionNotes ?? []).map(para)].join('\n'),
    });
  }

  if (p) {
    const levels = p.intervals.map((iv) => iv.level);
    const head = ['Year', 'Observed', 'Point', ...levels.flatMap((l) => [`${l}% low`, `${l}% high`]), ...(p.flatBand ? ['Flat band low', 'Flat band high'] : [])];
    const rows: Cell[][] = [
      ...p.history.map((h) => [String(h.year), h.value, null, ...levels.flatMap(() => [null, null]), ...(p.flatBand ? [null, null] : [])]),
      ...p.years.map((year, i) => [
        String(year),
        null,
        p.point[i],
        ...p.intervals.flatMap((iv) => [iv.lower[i], iv.upper[i]]),
        ...(p.flatBand ? [p.flatBand.lower[i], p.flatBand.upper[i]] : []),
      ]),
    ];
    const label = `${p.area}: ${p.measure.replace(/_/g, ' ')}, observed and projected (${p.method}), with ${levels.join('% and ')}% prediction intervals`;
    sections.push({
      id: 'projection',
      heading: 'Projection',
      body: [para(p.summary), await chart(fanChartSpec(p), label), table(`${p.area}: ${p.measure.replace(/_/g, ' ')} at 31 March`, head, rows)].join('\n'),
    });
  }

  if (sp) {
    const levels = sp.stock.intervals.map((iv) => iv.level);
    const flows = sp.started !== undefined && sp.ceased !== undefined;
    const totals = sp.years.map((year, i) => [
      String(year),
      sp.stock.point[i],
      ...sp.stock.intervals.flatMap((iv) => [iv.lower[i], iv.upper[i]]),
      ...(flows ? [sp.started?.point[i] ?? null, sp.ceased?.point[i] ?? null] : []),
    ]);
    const parts = [
      para(
        `Children in care projected from ${sp.start.stock.toLocaleString('en-GB')} at 31 March ${sp.start.year}${flows ? ', with starters and leavers that add up to it (stock = previous stock + starters - leavers on every path)' : ''}; ${sp.engine === 'episodes' ? 'each breakdown counts the same simulated children (SSDA903 episode model)' : 'each breakdown is projected as shares of that total, path by path'}, so groups add up to the total. ${sp.summary}`,
      ),
      table(`${sp.area}: children in care at 31 March${flows ? ', starters and leavers in the year (medians)' : ''}`, ['Year', 'Children in care', ...levels.flatMap((l) => [`${l}% low`, `${l}% high`]), ...(flows ? ['Starters', 'Leavers'] : [])], totals),
    ];
    for (const dim of input.mixDimensions ?? Object.keys(sp.breakdowns)) {
      const bd = sp.breakdowns[dim];
      parts.push(await chart(mixChartSpec(sp, dim), `${sp.area}: children in care by ${dim.replace(/_/g, ' ')}, observed and projected point counts, with the total's 80% band`));
      const last = sp.years.length - 1;
      parts.push(
        table(
          `${sp.area}: ${dim.replace(/_/g, ' ')} groups in ${sp.years[last]}`,
          ['Group', 'Median', 'Share %', ...levels.flatMap((l) => [`${l}% low`, `${l}% high`])],
          bd ? [...bd.groups, ...Object.keys(bd.derived)].map((g) => [bd.derived[g] ? `${g} (${bd.derived[g].join(' + ')})` : g, bd.byGroup[g].point[last], bd.byGroup[g].share[last] * 100, ...bd.byGroup[g].intervals.flatMap((iv) => [iv.lower[last], iv.upper[last]])]) : [],
        ),
      );
    }
    sections.push({ id: 'mix', heading: 'Care system and placement mix', body: parts.join('\n') });
  }

  const basis = input.priceBasis;
  const money = basis ? `£ million, ${basis}` : '£ million';
  const basisPara = basis ? para(`Money: ${basis}.`) : '';
  const costTable = (caption: string, rows: readonly CostChartRow[]): string =>
    table(
      caption,
      ['Financial year', 'P10 (£m)', 'P50 (£m)', 'P90 (£m)'],
      rows.map((r) => [r.financial_year ?? `${r.year - 1}/${String(r.year % 100).padStart(2, '0')}`, r.p10 / 1e6, r.p50 / 1e6, r.p90 / 1e6]),
      2,
    );
  const m = (v: number): string => (v / 1e6).toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  /** The wide form: one row per financial year, one column per scenario, `P50 (P10 to P90)`. */
  const wide = (caption: string, head: string, rows: readonly { scenario: string; fy: string; p10: number; p50: number; p90: number }[]): string => {
    const names = [...new Set(rows.map((r) => r.scenario))];
    const fys = [...new Set(rows.map((r) => r.fy))];
    const cell = new Map(rows.map((r) => [`${r.scenario}\u0000${r.fy}`, `${m(r.p50)} (${m(r.p10)} to ${m(r.p90)})`]));
    return table(caption, [head, ...names], fys.map((fy) => [fy, ...names.map((n) => cell.get(`${n}\u0000${fy}`) ?? '')]));
  };
  if (input.costs && input.costs.length > 0) {
    sections.push({
      id: 'costs',
      heading: 'Costs',
      body: [
        basisPara,
        await chart(costChartSpec(input.costs, { priceBasis: basis }), `Projected cost per financial year (${money}): median and P10-P90 range`),
        costTable(`Projected cost per financial year (${money})`, input.costs),
      ].filter((x) => x !== '').join('\n'),
    });
  }
  if (input.scenarios && input.scenarios.length > 0) {
    const parts = [
      basisPara,
      await chart(costChartSpec(input.scenarios, { priceBasis: basis }), `Projected cost per financial year by scenario (${money}): median and P10-P90 range`),
      wide(
        `Projected cost by scenario and financial year (${money}): P50 (P10 to P90)`,
        'Financial year',
        input.scenarios.map((r) => ({ scenario: r.scenario ?? 'baseline', fy: r.financial_year ?? `${r.year - 1}/${String(r.year % 100).padStart(2, '0')}`, p10: r.p10, p50: r.p50, p90: r.p90 })),
      ),
    ];
    const d = input.differences ?? [];
    if (d.length > 0) {
      const perYear = d.filter((r) => r.children_diff_p50 !== null);
      const overall = d.filter((r) => r.children_diff_p50 === null);
      parts.push(
        para('Differences are each scenario minus the base, path by path on the same random numbers: P50 is the median difference, P10 to P90 the range holding 8 paths in 10.'),
        wide(`Difference from the base in total cost (${money}): P50 (P10 to P90)`, 'Financial year', perYear.map((r) => ({ scenario: r.scenario, fy: r.financial_year, p10: r.diff_p10, p50: r.diff_p50, p90: r.diff_p90 }))),
        table(
          `Difference from the base over all years (${money})`,
          ['Scenario', 'Period', 'Base P50', 'Scenario P50', 'Difference P10', 'Difference P50', 'Difference P90'],
          overall.map((r) => [r.scenario, r.financial_year, r.base_p50 / 1e6, r.scenario_p50 / 1e6, r.diff_p10 / 1e6, r.diff_p50 / 1e6, r.diff_p90 / 1e6]),
          1,
        ),
      );
    }
    const cmp = input.comparison ?? [];
    const lastYear = Math.max(...cmp.map((r) => r.year));
    const groupTables = [...new Set(cmp.map((r) => r.scenario))]
      .map((name) => ({ name, cells: groupDifferenceCells(cmp, name, lastYear) }))
      .filter((t) => t.cells.length > 0)
      .map((t) => table(`Children at 31 March ${lastYear} by group: "${t.name}" minus the base`, GROUP_DIFFERENCE_HEADER, t.cells));
    if (groupTables.length > 0) {
      parts.push(para(`Children by group at 31 March ${lastYear}, each scenario minus the base: the median (P50) of the path-by-path difference and its 80% band (P10 to P90).`), ...groupTables);
    }
    sections.push({ id: 'scenarios', heading: 'Scenario comparison', body: parts.filter((x) => x !== '').join('\n') });
  }

  const method: string[] = [];
  if (p) {
    method.push(
      `${p.area} ${p.measure.replace(/_/g, ' ')}: method ${p.method}${p.requestedMethod === 'auto' ? ' (chosen by the series\u2019 own errors)' : p.requestedMethod === 'evidence' ? ' (the default: panel evidence)' : ''}, ${p.intervalMethod === 'analytic' && p.intervalBasis?.calibration === 'pooled' ? 'the method\u2019s own pooled (log-normal)' : p.intervalMethod} prediction intervals, fitted to ${p.history.length} years (${p.history[0]?.year}-${p.history[p.history.length - 1]?.year}).`,
    );
    if (p.selection) method.push(`How the method was chosen: ${p.selection.rule}`);
    if (p.intervalBasis) method.push(`Intervals: ${p.intervalBasis.summary}`);
    if (p.flatBand) method.push(`The flat ±${(p.flatBand.fraction * 100).toFixed(0)}% band is shown for comparison; it is not a probability interval.`);
  }
  if (sp) {
    method.push(`Care system: ${sp.summary}`);
    if (sp.engine === 'aggregate') {
      for (const [dim, bd] of Object.entries(sp.breakdowns)) method.push(`${dim}: shares of ${bd.groups.join(', ')} modelled as additive log-ratios against ${bd.reference} with ${bd.model}${bd.borrowed ? '' : ' (fitted on this area\u2019s own years)'}.`);
    } else {
      for (const [dim, bd] of Object.entries(sp.breakdowns)) method.push(`${dim}: ${bd.groups.join(', ')} counted, path by path, from the same simulated children as the total (episode model).`);
    }
  }
  for (const m of input.method ?? []) method.push(m);
  if (method.length > 0) sections.push({ id: 'method', heading: 'Method', body: method.map(para).join('\n') });

  const caveats = [...new Set([...(input.caveats ?? []), ...(p?.caveats ?? []), ...(sp?.caveats ?? [])])];
  if (caveats.length > 0) sections.push({ id: 'caveats', heading: 'Caveats', body: `<ul class="caveats">${caveats.map((c) => `<li>${escapeHtml(c)}</li>`).join('\n')}</ul>` });

  if (input.provenance && input.provenance.length > 0) {
    sections.push({
      id: 'provenance',
      heading: 'Data provenance',
      body: table('Where the figures came from', ['Source', 'Line', 'Note'], input.provenance.map((r) => [r.source, r.line === undefined ? '' : String(r.line), r.note ?? ''])).replace(/<td>/g, '<td class="text">').replace(/<th scope="col">/g, '<th scope="col" class="text">'),
    });
  }

  const nav = `<nav aria-label="Contents"><ul>${sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.heading)}</a></li>`).join('')}</ul></nav>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(input.title)}</h1></header>`,
    nav,
    '<main>',
    ...sections.map((s) => section(s.id, s.heading, s.body)),
    '</main>',
    `<footer>Made with carecast.${input.footer ? ` ${escapeHtml(input.footer)}` : ''}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
