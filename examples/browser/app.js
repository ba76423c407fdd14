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
const state = { /** @type {any} */ source: null, /** @type {any} */ result: null, /** @type {any} */ quality: null, timings: /** @type {Record<string, number>} */ ({}) };
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

async function run() {
  if (!state.source) return;
  $('error').hidden = true;
  status('Projecting…');
  await new Promise((r) => setTimeout(r, 0)); // let the status show
  try {
    const t0 = performance.now();
    const result = model.project(state.source.input, options());
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
    const t2 = performance.now();
    const caveats = $('caveats');
    caveats.innerHTML = '';
    for (const c of model.caveats(result)) caveats.appendChild(document.createElement('li')).textContent = c;
    if (result.sys && !result.costs) caveats.appendChild(document.createElement('li')).textContent = 'No weekly costs entered: no costs projected.';
    const note = $('system-note');
    note.hidden = !result.system;
    note.textContent = result.system ? `${result.system} Shown: children in care projected on their own (${result.projection.method}).` : '';
    /** @type {HTMLDetailsElement} */ ($('caveats-box')).open = Boolean(result.system);
    $('label').textContent = state.source.label;
    $('results').hidden = false;
    state.result = result;
    state.timings = { projectMs: t1 - t0, drawMs: t2 - t1, totalMs: t2 - t0 };
    $('timing').textContent = `Projected in ${fmt(t1 - t0)} ms${result.sys ? ` (${fmt(options().paths)} paths)` : ''}, drawn in ${fmt(t2 - t1)} ms, in this page.`;
    status('Done.');
    document.body.dataset.state = 'done';
  } catch (e) {
    showError(e);
    document.body.dataset.state = 'error';
  }
}

async function useFiles(files) {
  if (files.length === 0) return;
  $('error').hidden = true;
  document.body.dataset.state = 'reading';
  status(`Reading ${files.length} files…`);
  try {
    const t0 = performance.now();
    state.source = await model.fromSsda903(files);
    state.quality = state.source.quality;
    drawQuality(state.quality);
    state.timings.readMs = performance.now() - t0;
    const last = state.source.input.stock.points.at(-1).year;
    /** @type {HTMLInputElement} */ ($('to')).value = String(last + 6);
    await run();
  } catch (e) {
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
