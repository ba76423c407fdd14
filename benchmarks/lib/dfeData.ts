/**
 * The DfE data a benchmark runs on: the panel bundled with carecast
 * (seeds/dfe-panel.json) by default, or the panel built from a folder of raw
 * DfE files given with `--data DIR` or `$CARECAST_DFE_DIR` (the folder
 * holding `sfr_la_cla_2011_2017/` and the EES files, e.g. `ees_2024/`).
 */
import { loadDfePanel, panelSeries, type DfePanel } from '../../src/data/panel.js';
import type { AnnualSeries } from '../../src/data/schemas.js';

/** The panel and a line saying where it came from. */
export interface BenchmarkPanel {
  /** The panel. */
  readonly panel: DfePanel;
  /** Where it came from, for the results. */
  readonly source: string;
  /** Every local authority's children in care at 31 March, by name. */
  readonly cic: Map<string, AnnualSeries>;
}

/**
 * Load the benchmark's DfE panel.
 *
 * @param dir - a folder of raw DfE files; default `$CARECAST_DFE_DIR`, else the bundled panel
 * @returns the panel, its source and every LA's children in care
 */
export function benchmarkPanel(dir: string | undefined = process.env.CARECAST_DFE_DIR): BenchmarkPanel {
  const panel = dir ? loadDfePanel({ dir }) : loadDfePanel();
  const span = `${panel.years[0]}-${panel.years[panel.years.length - 1]}${panel.missingYears.length > 0 ? `, ${panel.missingYears.join(', ')} not published` : ''}`;
  const source = dir ? `the DfE panel built from ${dir} (${span})` : `the DfE panel bundled with carecast (seeds/dfe-panel.json, ${span})`;
  return { panel, source, cic: panelSeries(panel) };
}
