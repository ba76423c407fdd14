// @ts-check
/**
 * The example page: pick an LA or drop SSDA903 files, see the projection,
 * download it. All the calls to carecast are in model.js; this file reads
 * the form and draws the results. Nothing is sent anywhere.
 */
import * as carecast from './vendor/carecast/carecast.js';
import vegaEmbed from './vendor/vega-embed.js';
import { createModel } from './model.js';

const model = createModel(carecast);
/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const fmt = (/** @type {number} */ x, digits = 0) => x.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** What the page shows now (also for the console and the end-to-end test). */
const state = { /** @type {any} */ source: null, /** @type {any} */ result: null, /** @type {any} */ quality: null, /** @type {File[]} */ files: [], timings: /** @type {Record<string, number | string>} */ ({}) };
Object.assign(window, { carecastExample: state });

function status(text) {
  $('status').textContent = text;
}

function showError(e) {
  const box = $('error');
  box.hidden = false;
  box.textContent = e instanceof Error ? e.message : String(e);
  status('');
}

function table(el, head, rows) {
  el.innerHTML = '';
  const thead = el.appendChild(document.createElement('thead')).appendChild(document.createElement('tr'));
  for (const h of head) thead.appendChild(document.createElement('th')).textContent = h;
  const tbody = el.appendChild(document.createElement('tbody'));
  for (const r of rows) {
    const tr = tbody.appendChild(document.createElement('tr'));
    for (const c of r) tr.appendChild(document.createElement('td')).textContent = String(c);
  }
}

function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function weeklyCosts() {
  /** @type {Record<string, number>} */
  const out = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('#weekly input'))) {
    if (input.value.trim() !== '') out[input.dataset.group ?? ''] = Number(input.value);
  }
  return out;
}

function options() {
  return {
    to: Number(/** @type {HTMLInputElement} */ ($('to')).value),
    paths: Number(/** @type {HTMLInputElement} */ ($('paths')).value),
    seed: Number(/** @type {HTMLInputElement} */ ($('seed')).value),
    weekly: weeklyCosts(),
    priceYear: Number(/** @type {HTMLInputElement} */ ($('price-year')).value),
    inflation: Number(/** @type {HTMLInputElement} */ ($('inflation')).value),
  };
}

function drawQuality(q) {
  $('quality').hidden = !q;
  if (!q) return;
  table($('quality-returns'), ['Return (31 March)', 'Episodes file', 'Rows read', 'Year'], q.returns.map((r) => [r.year, r.file, fmt(r.rows), r.inferred ? 'inferred from the dates' : 'given']));
  table($('quality-repairs'), ['Repair', 'Count', 'Examples'], q.repairs.map((r) => [r.kind.replace(/_/g, ' '), fmt(r.n), r.examples.join(' | ')]));
  const rej = $('quality-rejected');
  rej.innerHTML = '';
  const p = rej.appendChild(document.createElement('p'));
  p.textContent = q.rejected.length === 0 ? 'No rows were left out.' : `${fmt(q.rejected.length)} rows were left out (bad or contradictory values):`;
  if (q.rejected.length > 0) {
    const t = rej.appendChild(document.createElement('table'));
    table(t, ['File', 'Row', 'Field', 'Problem', 'Fix'], q.rejected.slice(0, 200).map((r) => [r.source, r.row ?? '', r.field, r.message, r.fix]));
  }
  const notes = $('quality-notes');
  notes.innerHTML = '';
  for (const n of q.notes) notes.appendChild(document.createElement('li')).textContent = n;
}

/**
 * Draw a result: the table, the charts, the caveats and the timing line.
 *
 * @param {any} result - from model.project or model.fromSsda903
 * @param {string} timing - how it was computed, for the timing line
 */
async function show(result, timing) {
  const t1 = performance.now();
  const charts = model.charts(state.source.input, result);
  const rows = model.table(result);
  table(
    $('projection-table'),
    ['31 March', 'Children in care', '80% low', '80% high', '95% low', '95% high', ...(result.sys ? ['Starters in year', 'Leavers in year'] : [])],
    rows.map((r) => [r.year, fmt(r.point), fmt(r.lo_80), fmt(r.hi_80), fmt(r.lo_95), fmt(r.hi_95), ...(result.sys ? [fmt(r.started), fmt(r.ceased)] : [])]),
  );
  const embeds = [['chart-total', charts.total], ['chart-placement', charts.placement], ['chart-provider', charts.provider], ['chart-costs', charts.costs]];
  await Promise.all(
    embeds.map(([id, spec]) => {
      const el = $(id);
      el.innerHTML = '';
      return spec ? vegaEmbed(el, spec, { actions: false, renderer: 'svg' }) : Promise.resolve();
    }),
  );
  const drawMs = performance.now() - t1;
  const caveats = $('caveats');
  caveats.innerHTML = '';
  for (const c of model.caveats(result)) caveats.appendChild(document.createElement('li')).textContent = c;
  if (result.sys && !result.costs) caveats.appendChild(document.createElement('li')).textContent = 'No weekly costs entered: no costs projected.';
  const note = $('system-note');
  note.hidden = !result.system;
  note.textContent = result.system ? `${result.system} Shown: children in care projected on their own (${result.projection.method}).` : '';
  /** @type {HTMLDetailsElement} */ ($('caveats-box')).open = Boolean(result.system);
  $('label').textContent = state.source.label;
  $('method').textContent = model.method(result);
  $('results').hidden = false;
  state.result = result;
  $('timing').textContent = `${timing}, drawn in ${fmt(drawMs)} ms, in this page.`;
  return drawMs;
}

/** Project the LA picked (in this thread: a fraction of a second) and draw it. */
async function run() {
  if (!state.source) return;
  $('error').hidden = true;
  status('Projecting…');
  await new Promise((r) => setTimeout(r, 0)); // let the status show
  try {
    const t0 = performance.now();
    const result = model.project(state.source.input, options());
    const projectMs = performance.now() - t0;
    const drawMs = await show(result, `Projected in ${fmt(projectMs)} ms${result.sys ? ` (${fmt(options().paths)} paths)` : ''}`);
    state.timings = { projectMs, drawMs, totalMs: performance.now() - t0 };
    status('Done.');
    document.body.dataset.state = 'done';
  } catch (e) {
    showError(e);
    document.body.dataset.state = 'error';
  }
}

/** What each stage of reading dropped files is called on the status line. */
const STAGES = { reading: 'Reading and checking the files', projecting: 'Projecting the whole system with the episode model (children simulated one by one)' };

/**
 * Read, check and project dropped SSDA903 files with the episode model, as
 * `carecast project --ssda903` does, in a background worker (the page stays
 * responsive: the status line counts the seconds), then cost and draw the
 * projection here.
 *
 * @param {File[]} files
 */
async function useFiles(files) {
  if (files.length === 0) return;
  $('error').hidden = true;
  document.body.dataset.state = 'reading';
  const t0 = performance.now();
  let stage = `${STAGES.reading} (${files.length} files)`;
  const tick = () => status(`${stage}… ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  tick();
  const timer = setInterval(tick, 100);
  try {
    const o = options();
    const source = await model.fromSsda903(files, o, (s) => {
      stage = STAGES[s] ?? s;
      tick();
    });
    clearInterval(timer);
    state.source = source;
    state.files = files;
    state.quality = source.quality;
    drawQuality(state.quality);
    /** @type {HTMLInputElement} */ ($('to')).value = String(source.to);
    const readMs = performance.now() - t0;
    const where = source.ranIn === 'worker' ? 'in a background worker' : 'in this page';
    const drawMs = await show(source.result, `Read, checked and projected ${where} in ${fmt(readMs)} ms (reading ${fmt(source.timings.readMs)} ms, projecting ${fmt(source.timings.projectMs)} ms, ${fmt(o.paths)} paths)`);
    state.timings = { readMs, drawMs, totalMs: performance.now() - t0, ranIn: source.ranIn };
    status('Done.');
    document.body.dataset.state = 'done';
  } catch (e) {
    clearInterval(timer);
    drawQuality(null);
    showError(e);
    document.body.dataset.state = 'error';
  }
}

async function start() {
  try {
    const warmup = await model.ready();
    // draw the warm-up charts out of sight, so that the first real ones do not wait for the chart code to compile
    if (warmup) {
      const box = document.body.appendChild(document.createElement('div'));
      box.style.cssText = 'position:absolute;left:-10000px;top:0;width:800px';
      await Promise.all(Object.values(warmup).map((spec) => vegaEmbed(box.appendChild(document.createElement('div')), spec, { actions: false, renderer: 'svg' })));
      box.remove();
    }
  } catch (e) {
    showError(e);
    return;
  }
  const la = /** @type {HTMLSelectElement} */ ($('la'));
  la.innerHTML = '';
  for (const name of model.areas()) la.appendChild(document.createElement('option')).textContent = name;
  la.value = 'Derbyshire';
  const last = model.panelYears().at(-1);
  /** @type {HTMLInputElement} */ ($('to')).value = String(last + 6);
  const example = model.exampleWeeklyCosts();
  /** @type {HTMLInputElement} */ ($('price-year')).value = String(example.priceYear);
  const weekly = $('weekly');
  for (const g of ['fostering', 'residential', 'adoption', 'parents', 'other']) {
    const l = weekly.appendChild(document.createElement('label'));
    l.textContent = `${g} `;
    const input = l.appendChild(document.createElement('input'));
    input.type = 'number';
    input.min = '0';
    input.step = '1';
    input.dataset.group = g;
    input.value = example.weekly[g] !== undefined ? String(example.weekly[g]) : '';
  }
  $('cost-source').textContent = `Example weekly costs for fostering and residential: ${example.source}. Replace them with your LA's.`;
  for (const id of ['la', 'run-la', 'files']) /** @type {HTMLInputElement} */ ($(id)).disabled = false;
  $('run-la').addEventListener('click', () => {
    state.source = model.fromPanel(la.value);
    state.quality = null;
    drawQuality(null);
    void run();
  });
  const files = /** @type {HTMLInputElement} */ ($('files'));
  files.addEventListener('change', () => void useFiles([...(files.files ?? [])]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    void useFiles([...(e.dataTransfer?.files ?? [])]);
  });
  $('dl-csv').addEventListener('click', () => state.result && download(`${slug(model.area(state.result))}-projection.csv`, model.csv(state.result), 'text/csv'));
  $('dl-costs-csv').addEventListener('click', () => state.result && download(`${slug(model.area(state.result))}-costs.csv`, model.costsCsv(state.result), 'text/csv'));
  $('dl-xlsx').addEventListener('click', async () => {
    if (!state.result) return;
    const bytes = await model.excel(state.result, state.quality);
    download(`${slug(model.area(state.result))}-projection.xlsx`, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
  status('Ready: pick an LA, or drop SSDA903 files.');
  document.body.dataset.state = 'ready';
}

void start();
