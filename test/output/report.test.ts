/** The HTML report: self-contained, escaped, every section and chart, deterministic. */
import { describe, expect, it } from 'vitest';
import { findSeries, forecast, loadSeed, projectSystem } from '../../src/index.js';
import { reproduceDerbyshirePlacementProjections } from '../../src/reproduce/index.js';
import { escapeHtml, provenanceOf, renderReport, type ReportInput } from '../../src/output/report.js';
import { formatMissionTable, missionCells, missionTable } from '../../src/output/systemTable.js';

const seed = loadSeed('derbyshire');
const ds = seed.dataset;
const cic = findSeries(ds, 'children_in_care');
const rep = reproduceDerbyshirePlacementProjections(seed);
const inputs = (figure: string) => rep.figures.find((f) => f.figure === figure)?.primary.points.map((p) => ({ year: p.year, value: p.value })) ?? [];
const sys = projectSystem(
  {
    stock: cic,
    started: findSeries(ds, 'started'),
    ceased: findSeries(ds, 'ceased'),
    breakdowns: {
      placement: { fostering: inputs('fostering'), residential: inputs('residential') },
      provider: { internal: inputs('internal'), private_voluntary: inputs('privateVoluntary') },
    },
  },
  { to: 2030, paths: 500, seed: 3 },
);
const costs = sys.years.map((year, i) => ({ year, p10: 60e6 + i, p50: 70e6 + i, p90: 80e6 + i }));
const sysInput = { stock: cic, started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') };
const mission = missionTable(sys, sysInput, {
  targetYear: 2030,
  baseYear: 2023,
  components: [
    { label: 'children in care', measure: 'children_in_care', group: 'total' },
    { label: 'fostering <foster>', measure: 'placement', group: 'fostering' },
  ],
  published: [{ measure: 'placement', group: 'fostering', percentChange: 35, as: 'in "foster"' }],
});
const input: ReportInput = {
  title: 'Derbyshire <b>"report"</b> & more',
  summary: 'Summary with <script>alert(1)</script>',
  projection: forecast(cic, { to: 2030 }),
  system: sys,
  mission,
  missionNotes: ['Notes & more'],
  costs,
  scenarios: [...costs, ...costs.map((c) => ({ ...c, p50: c.p50 - 1e6, scenario: "O'Brien's <plan>" }))],
  provenance: [...provenanceOf(cic), { source: 'evil<img src=x onerror=alert(1)>.csv', line: 3, note: 'a & b' }],
  caveats: ['<iframe src="https://example.org"></iframe>'],
  method: ['Costs are illustrative.'],
};

describe('renderReport', async () => {
  const html = await renderReport(input);

  it('is one self-contained document: no scripts, no external resources, no URLs', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/<[^>]*\ssrc\s*=/i); // no src attribute on any tag (escaped text may say src=)
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    for (const m of html.matchAll(/href="([^"]*)"/g)) expect(m[1]).toMatch(/^#/);
    // not even the SVG namespace or the Vega-Lite schema: no "http" anywhere except in the escaped caveat
    expect(html.replace('https://example.org', '')).not.toContain('http');
  });

  it('escapes all text from the input', () => {
    expect(html).toContain('<title>Derbyshire &lt;b&gt;&quot;report&quot;&lt;/b&gt; &amp; more</title>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('evil&lt;img src=x onerror=alert(1)&gt;.csv');
    expect(html).toContain('O&#39;Brien&#39;s &lt;plan&gt;');
    expect(html).toContain('&lt;iframe src=&quot;https://example.org&quot;&gt;&lt;/iframe&gt;');
  });

  it('has every section, five charts and the tables', () => {
    for (const id of ['summary', 'mission', 'projection', 'mix', 'costs', 'scenarios', 'method', 'caveats', 'provenance']) {
      expect(html).toContain(`<section id="${id}">`);
      expect(html).toContain(`<a href="#${id}">`);
    }
    expect(html.match(/<svg\b/g)).toHaveLength(5); // fan, placement, provider, costs, scenarios
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(7);
    expect(html).toContain('<th scope="row">2030</th>'); // years unformatted
    // the projection's one-line summary opens its section
    expect(html).toMatch(new RegExp(`<section id="projection">[\\s\\S]*?<p>${escapeHtml(input.projection!.summary).replace(/[()^$.*+?|[\]\\]/g, '\\$&')}</p>`));
    expect(html).toContain('additive log-ratios against fostering');
    // the method section names the default's band basis: panelGrowth's own pooled bands, and what they rest on
    expect(html).toContain('method panelGrowth (the default: panel evidence), the method\u2019s own pooled (log-normal) prediction intervals, fitted to 7 years (2018-2024).');
    expect(html).toContain(escapeHtml(`Intervals: ${input.projection!.intervalBasis!.summary}`));
    expect(html).toContain('000_b0e3793408704042.txt');
    for (const c of sys.caveats) expect(html).toContain(escapeHtml(c));
  });

  it('shows the mission table as an HTML table whose cells are the terminal table\u2019s', () => {
    const part = html.slice(html.indexOf('<section id="mission">'), html.indexOf('</section>', html.indexOf('<section id="mission">')));
    expect(part).toContain('<table class="mission">');
    expect(part).toContain('<th scope="colgroup" colspan="3">% change 2023-2030</th>');
    const rows = [...part.matchAll(/<tr><th scope="row">[\s\S]*?<\/tr>/g)].map((m) => [...m[0].matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1]));
    expect(rows).toEqual(mission.rows.map((r) => missionCells(mission, r).map(escapeHtml)));
    // by hand: the total's point and 80% band in 2030, and its path-by-path % change from the observed 2023 figure
    const t = sys.years.indexOf(2030);
    const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
    expect(rows[0].slice(0, 4)).toEqual(['children in care', w(sys.stock.point[t]), `${w(sys.stock.intervals[0].lower[t])}-${w(sys.stock.intervals[0].upper[t])}`, `${w(sys.stock.intervals[1].lower[t])}-${w(sys.stock.intervals[1].upper[t])}`]);
    expect(rows[0][4]).toBe('');
    expect(rows[1][0]).toBe('fostering &lt;foster&gt;');
    expect(rows[1][4]).toBe('+35%*');
    // the terminal's table, line by line, holds the same cells
    const text = formatMissionTable(mission).split('\n');
    expect(text[2].split(/\s{2,}/)).toEqual(missionCells(mission, mission.rows[0]).filter((c) => c !== ''));
    expect(part).toContain('<p>Notes &amp; more</p>');
    // the mission comes first, after the summary
    expect(html.indexOf('<section id="mission">')).toBeLessThan(html.indexOf('<section id="projection">'));
  });

  it('gives every chart its own ids, so clip paths do not collide', () => {
    // (Vega's SVG has ids only for clip paths and gradients; these charts have none today)
    const ids = [...html.matchAll(/<(?!section)[a-zA-Z]+[^>]*\sid="([^"]+)"/g)].map((m) => m[1]);
    for (const id of ids) expect(id).toMatch(/^cc\d+-/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  it('is the same for the same input, and sections appear only for what is given', async () => {
    expect(await renderReport(input)).toBe(html);
    const bare = await renderReport({ title: 'Only a title' });
    expect(bare).not.toContain('<section');
    expect(bare).not.toContain('<svg');
    const onlyProjection = await renderReport({ title: 'P', projection: input.projection });
    expect(onlyProjection.match(/<svg\b/g)).toHaveLength(1);
    expect(onlyProjection).toContain('<section id="caveats">');
  });
});

describe('renderReport: money', () => {
  it('states the price basis with every cost chart and table, and shows differences from the base with bands', async () => {
    const basis = 'cash: 2022/23 prices uprated by 3.0% a year';
    const differences = [
      { scenario: 'fewer', financial_year: '2025/26', base_p50: 70e6, scenario_p50: 69e6, diff_p10: -2e6, diff_p50: -1e6, diff_p90: -0.5e6, children_diff_p10: -3, children_diff_p50: -2, children_diff_p90: -1 },
      { scenario: 'fewer', financial_year: 'all years (2025/26 to 2025/26)', base_p50: 70e6, scenario_p50: 69e6, diff_p10: -2e6, diff_p50: -1e6, diff_p90: -0.5e6, children_diff_p10: null, children_diff_p50: null, children_diff_p90: null },
    ];
    const html = await renderReport({ title: 'Money', costs, scenarios: input.scenarios, differences, priceBasis: basis });
    const costsSection = html.slice(html.indexOf('<section id="costs">'), html.indexOf('<section id="scenarios">'));
    const scenarioSection = html.slice(html.indexOf('<section id="scenarios">'));
    for (const part of [costsSection, scenarioSection]) {
      expect(part).toContain(`Money: ${basis}.`); // a paragraph
      expect(part).toContain(`(£ million, ${basis})`); // table captions
      expect(part).toMatch(new RegExp(`<t(ext|span)\\b[^>]*>Money: ${basis}</t(ext|span)>`)); // the chart's subtitle
      expect(part).toMatch(/£ million a year, cash/); // the chart's axis
    }
    // the wide table: one column per scenario, P50 (P10 to P90) in £m
    expect(scenarioSection).toContain(`<th scope="col">O&#39;Brien&#39;s &lt;plan&gt;</th>`);
    expect(scenarioSection).toContain('<td>-1.0 (-2.0 to -0.5)</td>');
    expect(scenarioSection).toContain('all years (2025/26 to 2025/26)');
  });
});

describe('provenanceOf and escapeHtml', () => {
  it('groups a series by source and line', () => {
    expect(provenanceOf(cic)).toEqual([
      { source: '000_b0e3793408704042.txt', line: 85, note: 'children_in_care 2018; "a rise from 719 as of March 2018"' },
      { source: '001_d9ec82d55c6be5ca.txt', line: 3845, note: 'children_in_care 2019, 2020, 2021, 2022, 2023; DfE published data table in the Placement Sufficiency Statement appendix' },
      { source: '001_d9ec82d55c6be5ca.txt', line: 37, note: 'children_in_care 2024; "At year end 31 March 2024 Derbyshire had 1057 children in care"' },
    ]);
  });
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
