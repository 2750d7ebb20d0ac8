import { buildApp } from './app';
import { ConfigError, parseConfig } from './config';
import { createStore } from './storage';

/** Entry point: `tsx inference/src/main.ts` under `up`, `node dist/main.mjs` in the container. */
let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

const store = createStore(config.storage);
const app = buildApp({
  logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
  serviceVersion: config.serviceVersion,
  store,
  deployment: config.deployment,
  instanceId: config.instanceId,
  publicUrl: config.publicUrl,
  pollMs: config.pollMs,
  maxBatch: config.maxBatch,
  bodyLimitBytes: config.bodyLimitBytes,
  telemetryFlushMs: config.telemetryFlushMs,
  emf: config.emf ?? undefined,
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'inference service stopping');
  // A hung close (a stuck storage write) must not keep a supervisor or kubelet waiting forever.
  setTimeout(() => process.exit(1), 15_000).unref();
  await app.close();
  store.close?.();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('disconnect', () => void stop('supervisor exited'));

app
  .listen({ port: config.port, host: config.host })
  .then(() => app.log.info({ deployment: config.deployment, instanceId: config.instanceId, storage: store.root }, 'inference service listening'))
  .catch((error: NodeJS.ErrnoException) => {
    console.error(error.code === 'EADDRINUSE' ? `Port ${config.port} is already in use: set INFERENCE_PORT to a free port.` : error.message);
    process.exit(1);
  });
