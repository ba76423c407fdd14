/**
 * The DfE panel from raw files on disk (Node only): what `loadDfePanel({ dir })`
 * and `loadDfePanel({ sfrDir, eesFile })` read. In the browser bundle this
 * module is replaced by `panelFiles.browser.ts`, whose
 * {@link dfePanelFromDisk} says that a folder cannot be read there (the
 * bundled panel, and {@link buildDfePanel} over files read by the text
 * readers, work everywhere).
 *
 * @module
 */
import { basename } from 'node:path';
import { readDfeEes } from '../loaders/dfeEes.js';
import { loadSfrFolder } from '../loaders/dfeFiles.js';
import { loadText } from '../loaders/textFile.js';
import { buildDfePanel, type DfePanelBuildOptions } from './buildPanel.js';
import { readDfePanelFolder } from './panelFolder.js';
import type { DfePanel } from './panelTypes.js';

/** Build the panel from a folder of raw DfE files (see `loadDfePanel`). */
export interface DfePanelFolderOptions extends DfePanelBuildOptions {
  /** The DfE data folder, holding `sfr_la_cla_2011_2017/` and the EES files (for example `ees_2024/`); subfolders are searched two levels deep. */
  readonly dir: string;
  /** Called after each file is read and parsed, with the bytes parsed so far and in all (the panel is then built from them). */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** Build the panel from the SFR folder and one EES number-and-rate file (the form carecast used before the 2024 files). */
export interface DfePanelFiles extends DfePanelBuildOptions {
  /** The folder holding `la_cla_31_march_YYYY.csv` (e.g. `data/dfe/sfr_la_cla_2011_2017`). */
  readonly sfrDir: string;
  /** The EES file `cla_number_and_rate_per_10k_children_*.csv`. */
  readonly eesFile: string;
}

/**
 * Build the DfE panel from raw files on disk: a folder of them, or the SFR
 * folder and one EES number-and-rate file.
 *
 * @param from - the folder (`{ dir }`), or `{ sfrDir, eesFile }`, with `prefer`
 * @returns the panel
 * @throws `CarecastInputError` when a folder or file cannot be read, a file is invalid, or sources disagree
 * @example
 * ```ts
 * const panel = dfePanelFromDisk({ dir: 'data/dfe' });
 * ```
 */
export function dfePanelFromDisk(from: DfePanelFolderOptions | DfePanelFiles): DfePanel {
  const prefer: DfePanelBuildOptions = from.prefer ? { prefer: from.prefer } : {};
  if ('dir' in from) return buildDfePanel(readDfePanelFolder(from.dir, from.onProgress ? { onProgress: from.onProgress } : {}).sources, prefer);
  const sfr = loadSfrFolder(from.sfrDir);
  const ees = readDfeEes(loadText(from.eesFile), basename(from.eesFile));
  return buildDfePanel({ sfr, numberAndRate: [ees] }, prefer);
}
