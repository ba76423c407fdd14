/**
 * The data-quality report of SSDA903 returns in the commands' outputs: the
 * text printed, the report for `--json`, and the CSV file of every repair and
 * every row left out.
 *
 * @module
 */
import { toCsv } from '../data/csvFormat.js';
import type { Ssda903Data } from '../data/loaders/ssda903.js';
import { formatQualityReport, qualityRecords, ssda903QualityReport, type Ssda903QualityReport } from '../data/ssda903Quality.js';

/** What a command shows and writes of the data-quality report. */
export interface QualityOutput {
  /** The report (for `--json`). */
  readonly report: Ssda903QualityReport;
  /** The text printed. */
  readonly text: string;
  /** The CSV file of every repair and row left out: name and text. */
  readonly file: readonly [string, string];
}

/**
 * The data-quality outputs of a load of SSDA903 returns.
 *
 * @param data - the cleaned data
 * @param label - the file-name label of the area
 * @returns the report, its text and the CSV file `<label>-data-quality.csv`
 */
export function qualityOutput(data: Ssda903Data, label: string): QualityOutput {
  const report = ssda903QualityReport(data);
  const name = `${label}-data-quality.csv`;
  return { report, text: formatQualityReport(report), file: [name, toCsv(qualityRecords(data))] };
}
