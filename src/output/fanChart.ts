/**
 * Fan charts: history, point forecast and nested bands, as a Vega-Lite
 * specification (notebooks render it as it is) and as a static SVG.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Projection } from '../project/forecast.js';

/** Options for {@link fanChartSpec}. */
export interface FanChartOptions {
  /** Chart title (default: area and measure). */
  readonly title?: string;
  /** Width in pixels (default 640). */
  readonly width?: number;
  /** Height in pixels (default 320). */
  readonly height?: number;
  /** Y-axis title (default: the measure in words). */
  readonly yTitle?: string;
}

/**
 * What a fan chart reads from a projection: a {@link Projection} has it,
 * and so does a system projection's total drawn as one (its method then in
 * words, e.g. `episode model`).
 *
 * @example
 * ```ts
 * const p: FanChartInput = forecast(series, { to: 2035 });
 * ```
 */
export type FanChartInput = Pick<Projection, 'area' | 'measure' | 'history' | 'years' | 'point' | 'intervals' | 'flatBand'> & {
  /** The method, as the title names it. */
  readonly method: string;
};

/**
 * A Vega-Lite fan chart of a projection: bands as nested areas (widest
 * palest), the observed history as a dark line with points, the point
 * forecast as a dashed line, and the flat band (if any) as thin dotted lines.
 *
 * @param p - the projection (or any {@link FanChartInput})
 * @param options - title and size
 * @returns a Vega-Lite specification with the data inlined
 * @example
 * ```ts
 * const spec = fanChartSpec(forecast(series, { to: 2035 }));
 * // Deno Jupyter: display it; Node: renderSvg(spec)
 * ```
 */
export function fanChartSpec(p: FanChartInput, options: FanChartOptions = {}): TopLevelSpec {
  const measureWords = p.measure.replace(/_/g, ' ');
  const bands = [...p.intervals].sort((a, b) => b.level - a.level);
  const bandRows = bands.flatMap((iv) =>
    p.years.map((year, i) => ({ year, band: `${iv.level}%`, lo: iv.lower[i], hi: iv.upper[i] })),
  );
  // join the bands to the last observation so the fan starts from it
  const last = p.history[p.history.length - 1];
  for (const iv of bands) bandRows.push({ year: last.year, band: `${iv.level}%`, lo: last.used, hi: last.used });
  const lines = [
    ...p.history.filter((h) => h.value !== null).map((h) => ({ year: h.year, value: h.value as number, series: 'observed' })),
    { year: last.year, value: last.used, series: 'forecast' },
    ...p.years.map((year, i) => ({ year, value: p.point[i], series: 'forecast' })),
  ];
  const flat = p.flatBand
    ? p.years.flatMap((year, i) => [
        { year, value: p.flatBand?.lower[i] ?? 0, series: 'flat band low' },
        { year, value: p.flatBand?.upper[i] ?? 0, series: 'flat band high' },
      ])
    : [];
  const opacity: Record<string, number> = {};
  bands.forEach((iv, i) => {
    opacity[`${iv.level}%`] = 0.25 + (0.35 * i) / Math.max(1, bands.length - 1);
  });
  const xEnc = { field: 'year', type: 'quantitative', title: 'Year (31 March)', axis: { format: 'd', tickMinStep: 1 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? `${p.area}: ${measureWords}, projection to ${p.years[p.years.length - 1]} (${p.method})`,
    width: options.width ?? 640,
    height: options.height ?? 320,
    layer: [
      {
        data: { values: bandRows },
        mark: { type: 'area', color: '#2b6cb0' },
        encoding: {
          x: xEnc,
          y: { field: 'lo', type: 'quantitative', title: options.yTitle ?? measureWords, scale: { zero: false } },
          y2: { field: 'hi' },
          detail: { field: 'band', type: 'nominal' },
          opacity: {
            field: 'band',
            type: 'ordinal',
            sort: Object.keys(opacity),
            title: 'Prediction interval',
            scale: { domain: Object.keys(opacity), range: Object.values(opacity) },
            legend: { orient: 'top-left' },
          },
        },
      },
      {
        data: { values: lines.filter((r) => r.series === 'observed') },
        mark: { type: 'line', point: { color: '#1a202c' }, color: '#1a202c' },
        encoding: { x: xEnc, y: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: lines.filter((r) => r.series === 'forecast') },
        mark: { type: 'line', point: { color: '#c05621' }, color: '#c05621', strokeDash: [6, 3] },
        encoding: { x: xEnc, y: { field: 'value', type: 'quantitative' } },
      },
      ...(flat.length > 0
        ? [
            {
              data: { values: flat },
              mark: { type: 'line' as const, strokeDash: [2, 2], color: '#718096' },
              encoding: { x: xEnc, y: { field: 'value', type: 'quantitative' as const }, detail: { field: 'series', type: 'nominal' as const } },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/**
 * Render a Vega-Lite specification to a standalone SVG document, headless,
 * with the maintained `vega` and `vega-lite` libraries (no browser, no
 * canvas needed).
 *
 * @param spec - a Vega-Lite specification with inline data
 * @returns the SVG text
 * @example
 * ```ts
 * writeFileSync('fan.svg', await renderSvg(fanChartSpec(projection)));
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
