/**
 * A Node worker thread's end of the channel (Node only).
 *
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { WorkerPort } from './workerProtocol.js';

/**
 * A worker thread's `parentPort` as a {@link WorkerPort}.
 *
 * @param port - the thread's `parentPort`
 * @returns the port
 * @internal
 */
export function threadPort(port: MessagePort): WorkerPort {
  return {
    onMessage: (handler) => port.on('message', handler),
    postMessage: (message, transfer) => port.postMessage(message, transfer ? [...transfer] : undefined),
  };
}
