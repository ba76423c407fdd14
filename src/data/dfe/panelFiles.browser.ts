/**
 * The browser bundle's stand-in for `panelFiles.ts`: there is no disk to
 * read raw DfE files from. The bundled panel (`loadDfePanel()`) and
 * `buildDfePanel` over files read with the text readers (`readSfrFiles`,
 * `readDfeEes`, `readDfeEesLong`) work in the browser.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import type { DfePanelFiles, DfePanelFolderOptions } from './panelFiles.js';
import type { DfePanel } from './panelTypes.js';

/**
 * Not available in a browser: throws, saying what to use instead.
 *
 * @param from - the folder or files asked for
 * @returns never
 * @throws `CarecastInputError` always
 * @example
 * ```ts
 * loadDfePanel();  // the bundled panel, in the browser after await loadBundledData()
 * ```
 */
export function dfePanelFromDisk(from: DfePanelFolderOptions | DfePanelFiles): DfePanel {
  throw new CarecastInputError([
    {
      source: 'dir' in from ? from.dir : from.sfrDir,
      message: 'a browser cannot read a folder of raw DfE files',
      fix: 'use the bundled panel (loadDfePanel() after await loadBundledData()), or read the files picked by the user with readSfrFiles and readDfeEes and build the panel with buildDfePanel',
    },
  ]);
}
