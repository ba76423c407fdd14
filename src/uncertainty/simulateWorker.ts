/**
 * The entry of a simulation worker thread (started by
 * {@link SimulationPool}; not part of the public API). It fits the model of
 * each task from the plain series, simulates, and posts the values back
 * with their buffer transferred. Fits are cached per series, method and
 * options, so the chunks of one series fit once per worker.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { fitMethod } from '../models/registry.js';
import type { FittedModel } from '../models/types.js';
import { runSimulationTask, type WorkerReply, type WorkerRequest } from './workerPool.js';

const port = parentPort;
if (!port) throw new Error('simulateWorker runs only as a worker thread started by SimulationPool');

const cache = new Map<string, FittedModel>();

port.on('message', (msg: WorkerRequest) => {
  if (!msg || msg.type !== 'task') return;
  const { id, task } = msg;
  let reply: WorkerReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const key = `${task.method}|${JSON.stringify(task.methodOptions ?? {})}|${task.series.join(',')}`;
    let model = cache.get(key);
    if (!model) {
      model = fitMethod(task.method, task.series, task.methodOptions);
      if (cache.size >= 64) cache.clear();
      cache.set(key, model);
    }
    const r = runSimulationTask(task, model);
    reply = { type: 'result', id, values: r.values, bands: r.bands };
    transfer = [r.values.buffer as ArrayBuffer];
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { type: 'error', id, name: err.name, message: err.message };
  }
  port.postMessage(reply, transfer);
});

const ready: WorkerReply = { type: 'ready' };
port.postMessage(ready);
