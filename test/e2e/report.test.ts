/**
 * End to end: a report built from the Derbyshire seed, opened in headless
 * Chromium (Debian's `chromium` package, driven by playwright-core), with
 * every chart checked to have rendered. Run with `npm run test:e2e`; skipped
 * with a message when /usr/bin/chromium is missing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSeries, forecast, loadSeed, projectSystem } from '../../src/index.js';
import { reproduceDerbyshirePlacementProjections } from '../../src/reproduce/index.js';
import type { CostChartRow } from '../../src/output/mixChart.js';
import { provenanceOf, renderReport } from '../../src/output/report.js';
import { missionCells, missionTable, type MissionTable } from '../../src/output/systemTable.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/e2e/report.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);

async function buildReport(): Promise<{ html: string; mission: MissionTable }> {
  const seed = loadSeed('derbyshire');
  const ds = seed.dataset;
  const rep = reproduceDerbyshirePlacementProjections(seed);
  const inputs = (figure: string) => rep.figures.find((f) => f.figure === figure)?.primary.points.map((p) => ({ year: p.year, value: p.value })) ?? [];
  const cic = findSeries(ds, 'children_in_care');
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
    { to: 2035, paths: 1000, seed: 2024 },
  );
  // illustrative costs: children in care x an average weekly cost, 3% a year
  const q = sys.stock.quantiles;
  const costs = (name: string, weekly: number): CostChartRow[] =>
    sys.years.map((year, i) => {
      const w = weekly * 52.18 * 1.03 ** i;
      return { year, p10: q.p10[i] * w, p50: q.p50[i] * w, p90: q.p90[i] * w, scenario: name };
    });
  const mission = missionTable(sys, { stock: cic, started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') }, {
    baseYear: 2023,
    components: [
      { label: 'children in care', measure: 'children_in_care', group: 'total' },
      { label: 'starters in year', measure: 'started', group: 'total' },
      { label: 'fostering', measure: 'placement', group: 'fostering' },
      { label: 'residential', measure: 'placement', group: 'residential' },
    ],
    published: [
      { measure: 'placement', group: 'fostering', percentChange: 35 },
      { measure: 'placement', group: 'residential', percentChange: 148 },
    ],
  });
  const html = await renderReport({
    title: 'Derbyshire: children in care to 2035',
    mission,
    summary: 'Test report built from the bundled Derbyshire seed; costs are illustrative.',
    projection: forecast(cic, { to: 2035 }),
    system: sys,
    costs: costs('baseline', 1250),
    scenarios: [...costs('baseline', 1250), ...costs('more in-house fostering', 1120)],
    provenance: provenanceOf(cic),
    caveats: ['Costs are illustrative: an average weekly cost, not a cost model.'],
  });
  return { html, mission };
}

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  it('renders every chart with a non-zero size and makes no requests', async () => {
    const { chromium } = await import('playwright-core');
    const { html, mission } = await buildReport();
    const outDir = resolve('out');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright gives launch() a fresh temporary profile of its own
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const url = pathToFileURL(file).href;
      await page.goto(url, { waitUntil: 'load' });
      expect(await page.title()).toBe('Derbyshire: children in care to 2035');
      const boxes = await page.$$eval('figure.chart > svg', (svgs) =>
        svgs.map((s) => {
          const r = s.getBoundingClientRect();
          return { w: r.width, h: r.height, marks: s.querySelectorAll('path').length, texts: s.querySelectorAll('text').length, label: s.getAttribute('aria-label') ?? '' };
        }),
      );
      // fan chart, placement mix, provider mix, costs, scenarios
      expect(boxes).toHaveLength(5);
      for (const b of boxes) {
        expect(b.w, b.label).toBeGreaterThan(300);
        expect(b.h, b.label).toBeGreaterThan(200);
        expect(b.marks, b.label).toBeGreaterThan(5);
        expect(b.texts, b.label).toBeGreaterThan(5);
      }
      // the stacked bars painted: bar paths inside the plot have a real size
      const barSizes = await page.$$eval('figure.chart svg g.mark-rect path', (ps) => ps.map((p) => (p as unknown as { getBBox(): { height: number } }).getBBox().height));
      expect(barSizes.filter((h) => h > 1).length).toBeGreaterThan(20);
      expect(await page.locator('table').count()).toBeGreaterThanOrEqual(7);
      // the mission table as the browser shows it: the terminal's cells, row by row, on one line each, within the page
      const shown = await page.$$eval('table.mission tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => (c.textContent ?? '').trim())));
      expect(shown).toEqual(mission.rows.map((r) => missionCells(mission, r)));
      expect(shown.map((r) => r[4])).toEqual(['', '', '+35%', '+148%']);
      const box = await page.locator('table.mission').boundingBox();
      expect(box!.width).toBeLessThanOrEqual(1100);
      const cellHeights = await page.$$eval('table.mission tbody td', (tds) => tds.map((td) => td.getBoundingClientRect().height));
      expect(Math.max(...cellHeights)).toBeLessThan(2 * Math.min(...cellHeights)); // no cell wraps onto a second line
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(outDir, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
