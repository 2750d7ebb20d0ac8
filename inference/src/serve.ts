import type { FastifyInstance } from 'fastify';
import { buildApp, type InferenceOptions } from './app';
import type { InferenceConfig } from './config';
import type { ObjectStore } from './storage';

/** Starting the service as one process (INFERENCE_WORKERS=1), and what its cluster variant shares with it. */

/** A worker's exit code for "restarting will not help" (port taken): the primary stops instead of restarting it. */
export const EXIT_FATAL = 78;

export function appOptions(config: InferenceConfig, store: ObjectStore): InferenceOptions {
  return {
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
  };
}

export async function listenOrExit(app: FastifyInstance, config: InferenceConfig, exitCode = 1): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    console.error(e.code === 'EADDRINUSE' ? `Port ${config.port} is already in use: set INFERENCE_PORT to a free port.` : e.message);
    process.exit(exitCode);
  }
}

export async function runSingle(config: InferenceConfig, store: ObjectStore): Promise<void> {
  const app = buildApp(appOptions(config, store));
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
  await listenOrExit(app, config);
  app.log.info({ deployment: config.deployment, instanceId: config.instanceId, storage: store.root, workers: 1 }, 'inference service listening');
}
