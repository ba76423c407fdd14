/**
 * `carecast/evaluate`: judging forecasts beyond `backtest`,
 * `backtestPanel` and `backtestRecords` (at the front door): the accuracy
 * metrics (MAE, RMSE, MAPE, sMAPE, MASE, coverage, Winkler score, checked
 * against R's `accuracy()`), the CRPS of any forecast distribution
 * (`crpsOf`; closed forms, samples and quantile grids), the shapes of backtest options and results,
 * evidence pooled across LAs of which method forecasts best
 * (`panelEvidence`, read back with `parsePanelEvidence`), and conformal
 * bands calibrated and scored on backtest errors (`calibrateConformal`,
 * `scoreConformal`).
 *
 * @example
 * ```ts
 * import { backtestPanel, forecast } from 'carecast';
 * import { calibrateConformal, panelEvidence } from 'carecast/evaluate';
 *
 * const bt = backtestPanel(cicByLa, { methods: ['naive', 'drift', 'auto'], horizon: 3 });
 * const evidence = panelEvidence([bt], { asOf: 2021, source: 'our region' });
 * forecast(series, { to: 2030, evidence, conformal: calibrateConformal(bt, { method: 'auto' }) });
 * ```
 *
 * @module carecast/evaluate
 */
export * from './metrics.js';
export * from './crps.js';
export type {
  BacktestFailure,
  BacktestForecast,
  BacktestMethod,
  BacktestMetricRecord,
  BacktestOptions,
  BacktestPanelOptions,
  BacktestSummary,
  IntervalMetrics,
  PooledIntervalMetrics,
  PooledSummary,
} from './backtestTypes.js';
export * from './panelEvidence.js';
export { dfeEvidenceMeasures, parsePanelEvidence, type DfeEvidenceOptions } from '../models/evidenceFile.js';
export * from './conformalBacktest.js';
