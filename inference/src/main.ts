import cluster from 'node:cluster';
import { runPrimary } from './cluster-primary';
import { runWorker } from './cluster-worker';
import { ConfigError, parseConfig } from './config';
import { runSingle } from './serve';
import { createStore } from './storage';

/**
 * Entry point: `tsx inference/src/main.ts` under `up`, `node dist/main.mjs` in the
 * container. INFERENCE_WORKERS=1 serves from this process; more makes it a
 * cluster primary that forks that many workers (cluster-primary.ts), each of
 * which runs this file again and lands in runWorker.
 */
let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

if (cluster.isWorker) await runWorker(config);
else if (config.workers > 1) runPrimary(config, createStore(config.storage));
else await runSingle(config, createStore(config.storage));
