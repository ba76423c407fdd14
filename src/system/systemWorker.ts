/**
 * The entry of a system-panel worker thread (started by
 * {@link projectSystemPanel}; not part of the public API): projects each area
 * it is given with its own seed and posts the tidy records back.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import type { SystemOptions } from './projectSystem.js';
import { projectPanelItem, type PanelItem } from './systemPanel.js';

const port = parentPort;
if (!port) throw new Error('systemWorker runs only as a worker thread started by projectSystemPanel');

port.on('message', (msg: { type: string; run: number; options: SystemOptions; items: { index: number; seed: number; item: PanelItem }[] }) => {
  if (!msg || msg.type !== 'batch') return;
  for (const { index, seed, item } of msg.items) {
    port.postMessage({ type: 'result', run: msg.run, index, result: projectPanelItem(item, { ...msg.options, seed }) });
  }
});
port.postMessage({ type: 'ready' });
