import type { DeploymentManifest } from './contract';
import { buildApp } from './app';
import type { InferenceConfig } from './config';
import type { InstanceView } from './deployment-watcher';
import { Rpc, type Channel } from './ipc-rpc';
import { appOptions, EXIT_FATAL, listenOrExit } from './serve';
import { createStore } from './storage';

/**
 * One worker process of a cluster instance (INFERENCE_WORKERS > 1): serves
 * requests on the shared port with its own model copy, key buckets, telemetry
 * buffer (its own boot id, so its files never collide with its siblings') and
 * request metrics. The primary (cluster-primary.ts) tells it which model to
 * serve, keeps its /readyz view current, collects its metrics for /metrics and
 * stops it; signals are the primary's to handle.
 */
export async function runWorker(config: InferenceConfig): Promise<void> {
  const store = createStore(config.storage);
  const view: InstanceView = { state: 'waiting', lastError: null, revision: null };
  let rpc: Rpc | null = null;
  const app = buildApp({
    ...appOptions(config, store),
    clusterWorker: {
      view,
      workers: config.workers,
      instanceMetrics: () => (rpc ? rpc.call<string>('metrics', undefined, 5000) : Promise.reject(new Error('not connected to the primary'))),
    },
  });
  const { holder, metrics } = app.inference;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 15_000).unref();
    await app.close();
    store.close?.();
    process.exit(0);
  };
  rpc = new Rpc(process as unknown as Channel, {
    prepare: (manifest) => holder.prepare(manifest as DeploymentManifest),
    commit: () => holder.commit(),
    abort: () => holder.abort(),
    view: (next) => void Object.assign(view, next),
    collect: () => metrics.registry.getMetricsAsJSON(),
    stop: () => void stop(),
  });
  // A terminal's Ctrl-C reaches every process of the group: the primary decides, and stops the workers in order.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('disconnect', () => {
    app.log.warn('the primary process is gone: stopping');
    void stop();
  });

  await app.ready();
  // The primary brings this worker to the instance's model and keys before it takes any connection.
  Object.assign(view, await rpc.call<InstanceView>('join', undefined, 600_000));
  await listenOrExit(app, config, EXIT_FATAL);
}
