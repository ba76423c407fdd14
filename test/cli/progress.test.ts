/**
 * The command line's one progress bar, driven with a fake terminal and a
 * fake clock: nothing for a pipe, nothing before the delay, redraws
 * throttled (but a new step and the end of one drawn at once), the line
 * cleared at the end; and the progress the loaders and the system
 * projection report.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProgress, NO_PROGRESS, PROGRESS_DELAY_MS, PROGRESS_INTERVAL_MS, progressAllowed, progressLine, type ProgressStream } from '../../src/cli/progress.js';
import { loadTidyCsv } from '../../src/data/loaders/tidyFiles.js';
import { readTidyCsv } from '../../src/data/loaders/tidy.js';
import { loadDfePanel } from '../../src/data/panel.js';
import { dfePanelPopulations } from '../../src/data/ons/panelPopulation.js';
import { dfeSystemInput } from '../../src/system/dfeInput.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { systemRecords } from '../../src/system/records.js';
import { readDfePanelFolder } from '../../src/data/dfe/panelFolder.js';
import { DFE_FIXTURES } from '../helpers/fixtures.js';

/** A stand-in for standard error: what was written, and a clock the test moves. */
function fakeTerminal(isTTY = true, columns = 80): { stream: ProgressStream; written: string[]; clock: { t: number }; now: () => number } {
  const written: string[] = [];
  const clock = { t: 1000 };
  return { stream: { isTTY, columns, write: (s: string) => written.push(s) }, written, clock, now: () => clock.t };
}

const ENV = {};

describe('createProgress', () => {
  it('draws nothing when standard error is not a terminal (a pipe, a file, CI, a test capturing it)', () => {
    const f = fakeTerminal(false);
    const p = createProgress('costs', { stream: f.stream, now: f.now, env: ENV });
    expect(p).toBe(NO_PROGRESS);
    f.clock.t += 10_000;
    p.update(1, 2, 'simulating');
    p.stop();
    expect(f.written).toEqual([]);
  });

  it('draws nothing when turned off: --json (enabled false), CARECAST_NO_PROGRESS (from --no-progress), a dumb terminal', () => {
    for (const [options, env] of [
      [{ enabled: false }, ENV],
      [{}, { CARECAST_NO_PROGRESS: '1' }],
      [{}, { TERM: 'dumb' }],
    ] as const) {
      const f = fakeTerminal();
      const p = createProgress('project', { ...options, stream: f.stream, now: f.now, env });
      f.clock.t += 5000;
      p.update(3, 5, 'simulating');
      p.stop();
      expect(f.written).toEqual([]);
    }
    expect(progressAllowed({ isTTY: true, write: () => true }, { CARECAST_NO_PROGRESS: '0' })).toBe(true);
    expect(progressAllowed({ isTTY: true, write: () => true }, { CARECAST_NO_PROGRESS: '' })).toBe(true);
  });

  it('short work draws nothing at all: every update before the delay, then stop, writes nothing', () => {
    const f = fakeTerminal();
    const p = createProgress('project', { stream: f.stream, now: f.now, env: ENV });
    for (let i = 1; i <= 5; i++) {
      f.clock.t += (PROGRESS_DELAY_MS - 1) / 5;
      p.update(i, 5, 'simulating');
    }
    p.stop();
    expect(f.written).toEqual([]);
  });

  it('after the delay draws one line in place, at most every interval, a new step and the end at once, and clears it at the end', () => {
    const f = fakeTerminal();
    const p = createProgress('costs', { stream: f.stream, now: f.now, env: ENV });
    f.clock.t += PROGRESS_DELAY_MS;
    p.update(1, 4, 'simulating');
    expect(f.written).toEqual(['\rcosts: simulating [########......................]  25% 1/4 0.7 s\x1b[K']);
    // within the interval: not redrawn
    f.clock.t += PROGRESS_INTERVAL_MS - 1;
    p.update(2, 4);
    expect(f.written).toHaveLength(1);
    // the interval passed: redrawn (the step's name kept)
    f.clock.t += 1;
    p.update(2, 4);
    expect(f.written[1]).toBe('\rcosts: simulating [###############...............]  50% 2/4 0.8 s\x1b[K');
    // the end of a step, and a new step (in bytes), are drawn at once
    f.clock.t += 1;
    p.update(4, 4);
    f.clock.t += 1;
    p.update(1_500_000, 3_000_000, 'reading big.csv', 'bytes');
    expect(f.written.slice(2)).toEqual([
      '\rcosts: simulating [##############################] 100% 4/4 0.8 s\x1b[K',
      '\rcosts: reading big.csv [###############..............]  50% 1.5 MB/3.0 MB 0.8 s\x1b[K',
    ]);
    p.stop();
    expect(f.written.at(-1)).toBe('\r\x1b[K');
    // stopped: nothing more, however often it is called
    const n = f.written.length;
    f.clock.t += 10_000;
    p.update(2, 4);
    p.stop();
    expect(f.written).toHaveLength(n);
  });

  it('the delay counts from the start of the work, not of a step', () => {
    const f = fakeTerminal();
    const p = createProgress('project', { stream: f.stream, now: f.now, env: ENV });
    f.clock.t += 400;
    p.update(5, 10, 'reading data.csv', 'bytes');
    f.clock.t += 400;
    p.update(1, 3, 'simulating', 'items');
    expect(f.written).toEqual(['\rproject: simulating [##########....................]  33% 1/3 0.8 s\x1b[K']);
    // a new step named without a unit counts items, not the last step's bytes
    f.clock.t += 100;
    p.update(5, 10, 'reading data.csv', 'bytes');
    f.clock.t += 100;
    p.update(2, 4, 'areas');
    p.stop();
    expect(f.written).toEqual([
      '\rproject: simulating [##########....................]  33% 1/3 0.8 s\x1b[K',
      '\rproject: reading data.csv [#############.............]  50% 0.0 MB/0.0 MB 0.9 s\x1b[K',
      '\rproject: areas [###############...............]  50% 2/4 1.0 s\x1b[K',
      '\r\x1b[K',
    ]);
  });
});

describe('progressLine', () => {
  it('fits the terminal: the bar shrinks to 10 cells, then a long step name is cut', () => {
    expect(progressLine('backtest', 'areas', 10, 153, 'items', 700, 80)).toBe('backtest: areas [##............................]   6% 10/153 0.7 s');
    const long = progressLine('costs', `reading ${'x'.repeat(80)}.csv`, 2.1e6, 12e6, 'bytes', 12_300, 80);
    expect(long).toBe(`costs: reading ${'x'.repeat(25)}\u2026 [##........]  17% 2.1 MB/12 MB 12.3 s`);
    expect(long.length).toBeLessThanOrEqual(79);
    // a terminal of unknown width (0) is taken as 80 by createProgress; a tiny one still gets a line of 20
    expect(progressLine('project', 'simulating', 0, 0, 'items', 0, 10).length).toBe(20);
  });
});

describe('progress reported by the library', () => {
  it('loadTidyCsv reports the bytes read, 1 MiB at a time, ending at the file size, and reads the same datasets as readTidyCsv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-progress-'));
    const path = join(dir, 'big.csv');
    const rows = ['area,measure,kind,unit,frequency,period,breakdown,value,suppressed,source,line'];
    // about 2.9 MB: 80 areas x 120 quarters x (total + 2 placement groups)
    for (let a = 0; a < 80; a++) {
      for (let y = 1995; y < 2025; y++) {
        for (let q = 1; q <= 4; q++) {
          const v = 100 + ((a * 7 + y + q) % 50);
          rows.push(`"Area ${a}, North",children_in_care,snapshot,children,quarterly,${y}Q${q},,${v},,"a file, quoted.csv",${rows.length + 1}`);
          rows.push(`"Area ${a}, North",children_in_care,snapshot,children,quarterly,${y}Q${q},placement=fostering,${v - 40},,,`);
          rows.push(`"Area ${a}, North",children_in_care,snapshot,children,quarterly,${y}Q${q},placement=residential,${a % 10 === 0 ? '' : 40},${a % 10 === 0 ? 'c' : ''},,`);
        }
      }
    }
    const text = `${rows.join('\r\n')}\r\n`;
    writeFileSync(path, text);
    const size = statSync(path).size;
    const calls: [number, number][] = [];
    const ds = loadTidyCsv(path, { onProgress: (d, t) => calls.push([d, t]) });
    expect(size).toBeGreaterThan(2 * 1024 * 1024);
    expect(calls).toEqual([
      [1 << 20, size],
      [2 << 20, size],
      [size, size],
    ]);
    expect(ds).toHaveLength(80);
    expect(ds[3].series.map((s) => s.points.length)).toEqual([120, 120, 120]);
    expect(ds[3].series[0].points[0]).toEqual({ year: 1995, quarter: 1, value: 117, provenance: { source: 'a file, quoted.csv', line: 2 + 3 * 120 * 3 } });
    expect(ds[10].series[2].points[5]).toEqual({ year: 1996, quarter: 2, value: null, suppressed: { marker: 'c' } });
    expect(ds).toEqual(readTidyCsv(text, 'big.csv'));
  });

  it('readDfePanelFolder reports the bytes of the files parsed, rising to the bytes of every file read', () => {
    const calls: [number, number][] = [];
    const { files, sources } = readDfePanelFolder(DFE_FIXTURES, { onProgress: (d, t) => calls.push([d, t]) });
    const total = files.reduce((n, f) => n + f.bytes, 0);
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every(([, t]) => t === total)).toBe(true);
    expect(calls.map(([d]) => d)).toEqual([...calls.map(([d]) => d)].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([total, total]);
    // the same sources with or without the callback
    expect(readDfePanelFolder(DFE_FIXTURES).sources).toEqual(sources);
  });

  it('projectSystem reports its steps (the total, the flows, each breakdown) and the same numbers with or without the callback', () => {
    const panel = loadDfePanel();
    const input = dfeSystemInput(panel.series.get('Derby')!, dfePanelPopulations(panel).populations.get('Derby'));
    const calls: [number, number][] = [];
    const a = projectSystem(input, { to: 2028, paths: 300, seed: 9, onProgress: (d, t) => calls.push([d, t]) });
    // placement, provider and age
    expect(Object.keys(a.breakdowns)).toHaveLength(3);
    expect(calls).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(systemRecords(projectSystem(input, { to: 2028, paths: 300, seed: 9 }))).toEqual(systemRecords(a));
  });
});
