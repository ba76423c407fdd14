/** The `carecast costs` / `scenario` command on the example Derbyshire finance inputs. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCosts, type CostsCommandOptions } from '../../src/cli/costs.js';
import { CarecastInputError } from '../../src/data/errors.js';

const data = (f: string): string => new URL(`../../examples/data/${f}`, import.meta.url).pathname;
const base: CostsCommandOptions = {
  tidy: data('derbyshire-finance.csv'),
  la: 'Derbyshire',
  costs: data('derbyshire-costs.json'),
  to: '2030',
  paths: '300',
  seed: '7',
  out: 'out',
  write: false,
};

describe('carecast costs', () => {
  it('base and scenarios on the same paths; admissions -10% costs less in every later year; files written together', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-costs-'));
    const r = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json'), out, write: true, xlsx: true, report: true });
    expect(r.results.map((x) => x.name)).toEqual(['base', 'admissions -10% from 2026', '+2 in-house homes of 4 beds in 2027', 'Forward to Foster 10 a year']);
    const [b, adm] = r.results;
    expect(b.costs.financialYears[0]).toBe('2024/25');
    // before the lever starts (2024/25, 2025/26 opening) nothing changes; from 2026/27 the P50 is lower
    expect(adm.costs.total.quantiles.p50[0]).toBeCloseTo(b.costs.total.quantiles.p50[0], 6);
    for (let i = 2; i < b.costs.years.length; i++) expect(adm.costs.total.quantiles.p50[i]).toBeLessThan(b.costs.total.quantiles.p50[i]);
    // P10 <= P50 <= P90 in every year
    b.costs.years.forEach((_, i) => {
      expect(b.costs.total.quantiles.p10[i]).toBeLessThanOrEqual(b.costs.total.quantiles.p50[i]);
      expect(b.costs.total.quantiles.p50[i]).toBeLessThanOrEqual(b.costs.total.quantiles.p90[i]);
    });
    expect(readdirSync(out).sort()).toEqual(['derbyshire-cost-chart.svg', 'derbyshire-costs.csv', 'derbyshire-costs.xlsx', 'derbyshire-mix-chart.svg', 'derbyshire-report.html', 'derbyshire-scenario-comparison.csv']);
    const html = readFileSync(join(out, 'derbyshire-report.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3); // mix, costs, scenarios
    expect(html).toMatch(/Forward to Foster 10 a year/);
    expect(html).not.toMatch(/src="http|href="http/);
    expect(r.text).toMatch(/Sufficiency, residential/);
    const again = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json') });
    expect(again.results[1].costs.total.quantiles.p50).toEqual(adm.costs.total.quantiles.p50);
  }, 60_000);

  it('bad files: errors name the file and field, nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-costs-bad-'));
    const badModel = join(dir, 'model.json');
    writeFileSync(badModel, JSON.stringify({ dimension: 'finance', priceYear: 2023, weekly: { fostering_internal: -5 } }));
    const e1 = await runCosts({ ...base, costs: badModel, out: dir, write: true }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(CarecastInputError);
    expect((e1 as CarecastInputError).problems[0]).toMatchObject({ source: badModel, field: 'weekly.fostering_internal' });
    const badScen = join(dir, 'sc.json');
    writeFileSync(badScen, JSON.stringify([{ name: 'x', levers: [{ kind: 'teleport', from: 2026 }] }]));
    await expect(runCosts({ ...base, scenarios: badScen })).rejects.toThrow(/sc\.json.*levers\.0\.kind/s);
    await expect(runCosts({ ...base, la: 'Atlantis' })).rejects.toThrow(/no area "Atlantis"/);
    await expect(runCosts({ ...base, costs: undefined })).rejects.toThrow(/no cost model given/);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'sc.json']);
  }, 60_000);
});
