/**
 * The SSDA903 episode model through the system projection's doors (issues
 * 13 and 14): `project --ssda903 DIR` gives the mission table, the records,
 * the CSV, SVG and HTML and the data-quality report from
 * `episodeSystemProjection`; `costs --ssda903` runs on exactly the same
 * paths; a single-series `--method` says how it differs; bad input exits 2.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCosts } from '../../src/cli/costs.js';
import { runProject, type ProjectCommandOptions } from '../../src/cli/project.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { applyScenario } from '../../src/finance/scenario.js';
import { episodeSystemProjection } from '../../src/system/episodeProjection.js';
import { projectEpisodeSystem } from '../../src/system/episodeSystem.js';
import type { SamplePaths } from '../../src/models/types.js';
import type { SystemProjection } from '../../src/system/projectSystem.js';
import { systemRecords } from '../../src/system/records.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
// the day dates are checked against, fixed so that the tests do not depend on the clock
const base: ProjectCommandOptions = { measure: 'children_in_care', levels: '80,95', out: 'out', write: false, today: '2024-06-30' };

/** Two children, no event in the fit window (2021-04-01 to 2022-03-31): every rate is 0, so every path is known by hand. */
function handReturns(): string {
  const dir = mkdtempSync(join(tmpdir(), 'carecast-903-hand-'));
  writeFileSync(join(dir, '2021-header.csv'), 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n100001,1,01/06/2010,WBRI,,,\n100002,2,15/09/2005,WBRI,,,\n');
  writeFileSync(
    join(dir, '2021-episodes.csv'),
    [
      'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
      // A: fostered in house (U1, PR1) since 2020, a change of carer within the same group in 2021
      '100001,01/01/2020,S,C2,N1,U1,PR1,01/06/2021,X1,,,,',
      '100001,01/06/2021,P,C2,N1,U1,PR1,,,,,,',
      // B: a private children's home (K2, PR4) since December 2020; 18 on 15 September 2023
      '100002,01/12/2020,S,C2,N1,K2,PR4,,,,,,',
    ].join('\n') + '\n',
  );
  return dir;
}

const row = (p: SamplePaths, k: number): number[] => Array.from(p.values.slice(k * p.horizon, (k + 1) * p.horizon));

/** Every path: each breakdown's groups add to the total, derived groups to their parts, and stock = previous + started - ceased, exactly. */
function expectCoherent(sp: SystemProjection): void {
  const { stock, started, ceased } = sp.paths;
  const H = sp.years.length;
  for (let k = 0; k < stock.paths; k++) {
    let prev = sp.start.stock;
    for (let h = 0; h < H; h++) {
      const j = k * H + h;
      expect(stock.values[j]).toBe(prev + started!.values[j] - ceased!.values[j]);
      prev = stock.values[j];
      for (const bd of Object.values(sp.breakdowns)) {
        expect(bd.groups.reduce((a, g) => a + bd.paths[g].values[j], 0)).toBe(stock.values[j]);
        for (const [name, parts] of Object.entries(bd.derived)) expect(bd.paths[name].values[j]).toBe(parts.reduce((a, g) => a + bd.paths[g].values[j], 0));
      }
    }
  }
  for (const bd of Object.values(sp.breakdowns)) expect(bd.maxIncoherence).toBe(0);
}

describe('project --ssda903: the episode model through the system doors', () => {
  it('a hand-checkable pair of children: every path, the history, the table and the records', async () => {
    const dir = handReturns();
    const out = mkdtempSync(join(tmpdir(), 'carecast-903-hand-out-'));
    const r = await runProject({ ...base, ssda903: dir, to: '2025', paths: '200', out, write: true });
    const sp = r.system!;
    expect(sp.engine).toBe('episodes');
    expect(r.projection).toBeUndefined(); // no forecast anchors the episode model's total
    expect(sp.years).toEqual([2023, 2024, 2025]);
    expect(sp.start).toEqual({ year: 2022, stock: 2 });
    // no exits, moves or starters in the window: the rates are 0; B reaches 18 on 15 September 2023 (year to 31 March 2024)
    for (let k = 0; k < 200; k++) {
      expect(row(sp.paths.stock, k)).toEqual([2, 1, 1]);
      expect(row(sp.paths.started!, k)).toEqual([0, 0, 0]);
      expect(row(sp.paths.ceased!, k)).toEqual([0, 1, 0]);
      if (sp.engine === 'episodes') expect(row(sp.episodes.agedOutPaths, k)).toEqual([0, 1, 0]);
    }
    const pl = sp.breakdowns.placement;
    expect(pl.groups).toEqual(['fostering', 'homes_secure', 'independent_supported', 'other']);
    expect(pl.derived).toEqual({ residential: ['homes_secure', 'independent_supported'] });
    expect(pl.byGroup.fostering.point).toEqual([1, 1, 1]);
    expect(pl.byGroup.residential.point).toEqual([1, 0, 0]);
    expect(pl.byGroup.fostering.share).toEqual([0.5, 1, 1]);
    expect(sp.breakdowns.provider.byGroup.in_house.point).toEqual([1, 1, 1]);
    expect(sp.breakdowns.provider.byGroup.external.point).toEqual([1, 0, 0]);
    // ages at 31 March: A 12, 13, 14 (10-15); B 17 (16+), then gone
    expect(sp.breakdowns.age.byGroup['10_15'].point).toEqual([1, 1, 1]);
    expect(sp.breakdowns.age.byGroup['16_plus'].point).toEqual([1, 0, 0]);
    // the observed history, counted as the model counts its starting stock: both in care at 31 March 2021 and 2022
    expect(pl.history).toEqual([
      { year: 2021, counts: [1, 1, 0, 0], status: 'observed' },
      { year: 2022, counts: [1, 1, 0, 0], status: 'observed' },
    ]);
    expectCoherent(sp);
    // the table: the same figures; % change from the 2 (1 residential) in care at 31 March 2022
    const line = (label: string): string[] => (r.text.split('\n').find((l) => l.startsWith(label)) ?? '').trim().split(/\s{2,}/);
    expect(line('children in care')).toEqual(['children in care', '1', '1-1', '1-1', '-50%', '-50% to -50%']);
    expect(line('residential')).toEqual(['residential', '0', '0-0', '0-0', '-100%', '-100% to -100%']);
    expect(line('fostering')).toEqual(['fostering', '1', '1-1', '1-1', '+0%', '+0% to +0%']);
    // the files: the system projection's, and the data-quality report
    expect(readdirSync(out).sort()).toEqual(['ssda903-data-quality.csv', 'ssda903-system-fan-chart.svg', 'ssda903-system-projection.csv', 'ssda903-system-report.html']);
    const csv = readFileSync(join(out, 'ssda903-system-projection.csv'), 'utf8').trim().split('\r\n');
    expect(csv.length).toBe(1 + systemRecords(sp).length);
    expect(csv.find((l) => l.startsWith('SSDA903,2024,ceased,total,'))?.split(',').slice(4, 6)).toEqual(['1', '1']);
    const html = readFileSync(join(out, 'ssda903-system-report.html'), 'utf8');
    expect(html).toContain('counted, path by path, from the same simulated children');
    expect(r.text).toContain('Data quality: 1 SSDA903 return (2022), 3 episode rows read');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the fixture returns: coherent on every path, the table equals the records, --json gives the records and the data-quality report', async () => {
    const r = await runProject({ ...base, ssda903: FIXTURE, to: '2027', paths: '300', randomSeed: '5' });
    const sp = r.system!;
    expect(sp.engine).toBe('episodes');
    expect(sp.start).toEqual({ year: 2022, stock: 11 });
    // the starting stock is the 11 children the single-series run shows at 31 March 2022 (test/cli/project.test.ts)
    expect(sp.breakdowns.placement.history.at(-1)?.counts.reduce((a, b) => a + b, 0)).toBe(11);
    expect(sp.breakdowns.age.history.map((y) => y.counts.reduce((a, b) => a + b, 0))).toEqual([76, 71, 49, 28, 19, 11]);
    expectCoherent(sp);
    // the library gives the same projection
    const data = loadSsda903Folder(FIXTURE, { today: '2024-06-30' });
    const lib = episodeSystemProjection(data, { to: 2027, paths: 300, seed: 5, until: '2022-03-31' });
    expect(systemRecords(lib)).toEqual(systemRecords(sp));
    // and its paths are projectEpisodeSystem's
    const raw = projectEpisodeSystem(data, { to: 2027, paths: 300, seed: 5 });
    expect(Array.from(sp.paths.stock.values)).toEqual(Array.from(raw.total.values));
    expect(Array.from(sp.breakdowns.placement.paths.fostering.values)).toEqual(Array.from(raw.placement.fostering.values));
    // the table's figures are the records'
    const records = systemRecords(sp).filter((x) => x.year === 2027);
    const rec = (measure: string, group: string) => records.find((x) => x.measure === measure && x.group === group)!;
    const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
    for (const [label, measure, group] of [
      ['children in care', 'children_in_care', 'total'],
      ['starters in year', 'started', 'total'],
      ['ceased in year', 'ceased', 'total'],
      ['fostering', 'placement', 'fostering'],
      ['residential', 'placement', 'residential'],
      ['in-house (own LA)', 'provider', 'in_house'],
      ['external', 'provider', 'external'],
    ]) {
      const cells = (r.text.split('\n').find((l) => l.startsWith(label)) ?? '').trim().split(/\s{2,}/);
      const x = rec(measure, group);
      expect(cells.slice(0, 4), label).toEqual([label, w(x.point), `${w(x.lo_80)}-${w(x.hi_80)}`, `${w(x.lo_95)}-${w(x.hi_95)}`]);
      expect(x.point).toBe(x.median);
    }
    expect(r.text).toMatch(/Point: the median of 300 paths of simulated children, children in care's too/);
    expect(r.text).toContain('fitted on 2017-04-01 to 2022-03-31');
    const j = JSON.parse((await runProject({ ...base, ssda903: FIXTURE, to: '2027', paths: '300', randomSeed: '5', json: true })).text) as { engine: string; records: unknown[]; dataQuality: { byGroup: Record<string, number> } };
    expect(j.engine).toBe('episodes');
    expect(j.records).toEqual(JSON.parse(JSON.stringify(systemRecords(sp))));
    expect(j.dataQuality.byGroup).toEqual({ values_replaced: 124, overlaps_truncated: 7, open_episodes: 1, duplicates_dropped: 0, dates_flagged: 1 });
  });

  it('--until cuts the fit window; --split-uasc adds the UASC breakdown, coherent too', async () => {
    const cut = await runProject({ ...base, ssda903: FIXTURE, until: '2020', to: '2023', paths: '200' });
    const sp = cut.system!;
    expect(sp.start).toEqual({ year: 2020, stock: 28 });
    expect(sp.years).toEqual([2021, 2022, 2023]);
    expect(cut.text).toContain('fitted on 2017-04-01 to 2020-03-31');
    expectCoherent(sp);
    const split = await runProject({ ...base, ssda903: FIXTURE, to: '2025', paths: '200', splitUasc: true });
    const u = split.system!.breakdowns.uasc;
    expect(u.groups).toEqual(['uasc', 'not_uasc']);
    expectCoherent(split.system!);
    expect(split.text.replace(/\s+/g, ' ')).toContain('UASC children and the others modelled apart');
    // the table's UASC rows: the breakdown's groups, from the same paths
    const last = split.system!.years.length - 1;
    expect((split.text.split('\n').find((l) => l.startsWith('not uasc')) ?? '').trim().split(/\s{2,}/)[1]).toBe(Math.round(u.byGroup.not_uasc.point[last]).toLocaleString('en-GB'));
  });

  it('a single-series --method says how it differs from the episode model\u2019s system projection', async () => {
    const r = await runProject({ ...base, ssda903: FIXTURE, to: '2025', method: 'naive', paths: '200' });
    const sp = r.system!;
    expect(sp.engine).toBe('episodes');
    const i = sp.years.indexOf(2025);
    expect(r.text).toContain(
      `Against the episode model's system projection (the default for --ssda903, without --method: children simulated one by one from the returns, fitted on 2017-04-01 to 2022-03-31; its point is the median of the paths): 2025 total ${Math.round(sp.stock.point[i])}`,
    );
    expect(r.text).toContain('this run (naive) 11');
  });

  it('returns without header files: the system run says the episode model needs dates of birth; a single series still runs, saying why it has no comparison', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-903-noheader-'));
    cpSync(FIXTURE, dir, { recursive: true });
    for (const f of readdirSync(dir).filter((x) => x.includes('header'))) rmSync(join(dir, f));
    await expect(runProject({ ...base, ssda903: dir, to: '2025' })).rejects.toThrow(/\[--ssda903\]: the returns in .* have no header files, so no dates of birth.*Fix: add the header CSV of each return, or project one series derived from the episodes with --method/);
    const r = await runProject({ ...base, ssda903: dir, to: '2025', method: 'naive' });
    expect(r.projection!.point).toEqual([11, 11, 11]);
    expect(r.system).toBeUndefined();
    expect(r.text).toContain("No comparison with the episode model's system projection: the returns in");
  });

  it('costs --ssda903 runs on exactly the paths of project --ssda903 for the same folder, years, paths and seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-903-costs-'));
    const model = join(dir, 'placement-costs.json');
    writeFileSync(model, JSON.stringify({ dimension: 'placement', priceYear: 2022, weekly: { fostering: 900, homes_secure: 6000, independent_supported: 2500 }, uncosted: ['other'], inflation: { rate: 0.03 } }));
    const scenarios = join(dir, 'scenarios.json');
    writeFileSync(scenarios, JSON.stringify([{ name: 'admissions -20%', levers: [{ kind: 'admissions', change: -0.2, from: 2024 }] }, { name: 'step down', levers: [{ kind: 'stepDown', fromGroup: 'homes_secure', toGroup: 'fostering', children: 1, from: 2024 }] }]));
    const c = await runCosts({ ssda903: FIXTURE, today: '2024-06-30', costs: model, scenarios, to: '2027', paths: '300', randomSeed: '9', out: dir, write: true });
    const p = await runProject({ ...base, ssda903: FIXTURE, to: '2027', paths: '300', randomSeed: '9' });
    const sp = p.system!;
    const pp = c.results[0].placements;
    expect(Array.from(pp.stock.values)).toEqual(Array.from(sp.paths.stock.values));
    expect(Array.from(pp.started!.values)).toEqual(Array.from(sp.paths.started!.values));
    expect(Array.from(pp.ceased!.values)).toEqual(Array.from(sp.paths.ceased!.values));
    for (const g of sp.breakdowns.placement.groups) expect(Array.from(pp.byGroup[g].values)).toEqual(Array.from(sp.breakdowns.placement.paths[g].values));
    // the opening counts are the children in each group at 31 March 2022
    const last = sp.breakdowns.placement.history.at(-1)!;
    expect(pp.opening).toEqual(Object.fromEntries(sp.breakdowns.placement.groups.map((g, i) => [g, last.counts[i]])));
    expect(c.text).toMatch(/random seed 9 \(episode model, SSDA903 returns\)/);
    expect(c.text).toContain("Demand: the episode model's system projection (the same paths as carecast project --ssda903");
    // the flow lever says how it acts on the episode paths; the step-down needs no note
    expect(c.results[1].notes).toHaveLength(1);
    expect(c.results[1].notes[0]).toMatch(/^scenario "admissions -20%", levers\[0\] .*the children are not simulated again/);
    expect(c.results[2].notes).toEqual([]);
    expect(c.text).toContain('the children are not simulated again');
    expect(readdirSync(dir)).toContain('ssda903-data-quality.csv');
    // a cost model by placement and provider together: the 12 simulated states, the same paths again
    const cross = join(dir, 'cross-costs.json');
    writeFileSync(cross, JSON.stringify({ dimension: 'placement_provider', priceYear: 2022, weekly: { 'fostering/in_house': 500, 'fostering/external': 1000, 'homes_secure/external': 5000 }, uncosted: ['fostering/other', 'homes_secure/in_house', 'homes_secure/other', 'independent_supported/in_house', 'independent_supported/external', 'independent_supported/other', 'other/in_house', 'other/external', 'other/other'] }));
    const x = await runCosts({ ssda903: FIXTURE, today: '2024-06-30', costs: cross, to: '2027', paths: '300', randomSeed: '9', out: dir, write: false });
    expect(Array.from(x.results[0].placements.stock.values)).toEqual(Array.from(sp.paths.stock.values));
    const sum = new Float64Array(sp.paths.stock.values.length);
    for (const g of x.results[0].placements.groups) x.results[0].placements.byGroup[g].values.forEach((v, k) => (sum[k] += v));
    expect(Array.from(sum)).toEqual(Array.from(sp.paths.stock.values));
    // the library: applyScenario on the episode projection says the same
    const lib = applyScenario(sp, JSON.parse(readFileSync(model, 'utf8')), { name: 'more', levers: [{ kind: 'exitRate', change: 0.1, from: 2025 }] });
    expect(lib.notes[0]).toMatch(/on the episode model's paths these levers work as on the aggregate model's/);
  });

  it('bad input exits 2 with a message and writes nothing', () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const out = mkdtempSync(join(tmpdir(), 'carecast-903-bad-'));
    const run = (...args: string[]) => spawnSync(tsx, ['src/cli/main.ts', ...args, '--out', out], { encoding: 'utf8' });
    // no UASC file: --split-uasc cannot split
    const noUasc = mkdtempSync(join(tmpdir(), 'carecast-903-nouasc-'));
    cpSync(FIXTURE, noUasc, { recursive: true });
    for (const f of readdirSync(noUasc).filter((x) => x.includes('uasc'))) rmSync(join(noUasc, f));
    const a = run('project', '--ssda903', noUasc, '--split-uasc', '--today', '2024-06-30');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/command line \[--split-uasc\]: no child in the returns in .* is in a UASC file.*Fix: add the uasc CSV/);
    // --split-uasc without --ssda903
    const b = run('project', '--la', 'Derby', '--split-uasc');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('[--split-uasc]: the UASC split needs child-level returns: it works with --ssda903 only');
    // --until outside the returns
    const c = run('project', '--ssda903', FIXTURE, '--until', '2030', '--today', '2024-06-30');
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('[--until]: the fit window must end on a 31 March within the returns (2017-04-01 to 2022-03-31), got 31 March 2030. Fix: give a year from 2018 to 2022');
    // costs: a numeric --seed is a random seed given to the wrong option
    const d = run('costs', '--la', 'Derby', '--costs', 'examples/data/derbyshire-costs.json', '--seed', '7');
    expect(d.status).toBe(2);
    expect(d.stderr).toContain('--seed names a bundled seed dataset (derbyshire, derby); for the random seed of the simulated paths use --random-seed 7');
    for (const x of [a, b, c, d]) expect(x.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
  }, 120_000);
});
