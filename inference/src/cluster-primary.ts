import cluster, { type Worker } from 'node:cluster';
import { pino } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { ClusterMetrics, type MetricsJson } from './cluster-metrics';
import { WorkerGroup, type Member } from './cluster-group';
import type { InferenceConfig } from './config';
import type { DeploymentManifest } from './contract';
import { DeploymentWatcher, type InstanceView } from './deployment-watcher';
import { Rpc, type Channel } from './ipc-rpc';
import { createInstanceMetrics } from './metrics';
import type { CommitResult, PrepareResult } from './model-holder';
import { EXIT_FATAL } from './serve';
import type { ObjectStore } from './storage';

/**
 * The primary of a cluster instance (INFERENCE_WORKERS > 1). Node's cluster
 * module hands the shared port's connections to the workers in turn; the primary
 * serves no request itself. It is the instance: it follows the manifest once and
 * applies it to all workers as one (cluster-group.ts), writes the one status
 * object and heartbeat the Deployments page lists, sums the workers' metrics for
 * /metrics (cluster-metrics.ts), restarts a worker that dies (logged, with
 * back-off when they keep dying) and, on SIGTERM, SIGINT or its supervisor going
 * away, stops the watcher, lets every worker drain and exits.
 */
const METRICS_REFRESH_MS = 5000;

export function runPrimary(config: InferenceConfig, store: ObjectStore): void {
  const log = pino({ level: config.logLevel });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'inference_' });
  const group = new WorkerGroup(log);
  new Gauge({ name: 'inference_workers', help: 'Worker processes serving requests', registers: [registry], collect() { this.set(group.size); } });
  const restarts = new Counter({ name: 'inference_worker_restarts_total', help: 'Worker processes restarted after exiting unexpectedly', registers: [registry] });
  const clusterMetrics = new ClusterMetrics(registry, Math.round(Date.now() / 1000 - process.uptime()));
  const watcher = new DeploymentWatcher({
    store, deployment: config.deployment, instanceId: config.instanceId, url: config.publicUrl, serviceVersion: config.serviceVersion,
    metrics: createInstanceMetrics(registry), log, pollMs: config.pollMs,
    apply: (manifest) => group.apply(manifest),
    onView: (view) => group.broadcastView(view),
  });

  const rpcs = new Map<number, Rpc>();
  let watching = false;
  let stopping = false;
  let crashes: number[] = [];

  /** Asks every worker for its metrics; one that does not answer (exiting, stuck) keeps its last answer. */
  const collect = () =>
    Promise.all([...rpcs].map(async ([id, rpc]) => {
      try {
        clusterMetrics.update(id, await rpc.call<MetricsJson>('collect', undefined, 2000));
      } catch {
        // Its last collection stands.
      }
    }));

  function fork(): Worker {
    // One instance id for all: the control plane sees one instance; telemetry files differ by each worker's boot id.
    const worker = cluster.fork({ INFERENCE_INSTANCE_ID: config.instanceId, INFERENCE_WORKERS: String(config.workers) });
    const id = worker.id;
    clusterMetrics.add(id);
    const rpc = new Rpc(worker as unknown as Channel, {
      join: async (): Promise<InstanceView> => {
        const view = await group.join(memberOf(id, rpc));
        log.info({ worker: id, workerPid: worker.process.pid, workers: group.size }, 'worker process started');
        if (!watching) {
          // The first worker is in: from now on every manifest has somewhere to go.
          watching = true;
          watcher.start().catch((error) => log.error({ err: error }, 'the deployment watcher failed to start'));
        }
        return view;
      },
      metrics: async () => {
        await collect();
        return clusterMetrics.text();
      },
    });
    rpcs.set(id, rpc);
    return worker;
  }

  cluster.on('exit', (worker, code, signal) => {
    const id = worker.id;
    rpcs.get(id)?.close(new Error(`worker process ${worker.process.pid} exited`));
    rpcs.delete(id);
    group.leave(id);
    clusterMetrics.retire(id);
    if (stopping) return;
    if (code === EXIT_FATAL) {
      log.error({ worker: id, workerPid: worker.process.pid }, 'a worker process cannot serve (see its message above): stopping');
      void stop('a worker cannot serve', 1);
      return;
    }
    const now = Date.now();
    crashes = [...crashes.filter((t) => now - t < 60_000), now];
    // The first replacement at once; more within a minute back off (a bad artifact or bug must not spin the CPU).
    const delay = crashes.length <= 1 ? 0 : Math.min(30_000, 500 * 2 ** (crashes.length - 2));
    restarts.inc();
    log.error({ worker: id, workerPid: worker.process.pid, code, signal, restartInMs: delay }, 'a worker process exited unexpectedly: starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay).unref();
  });

  async function stop(reason: string, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'inference service stopping');
    // A hung close (a stuck storage write, a worker that will not drain) must not keep a supervisor or kubelet waiting forever.
    setTimeout(() => process.exit(exitCode || 1), 15_000).unref();
    await watcher.stop();
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.isDead()) return resolve();
      w.once('exit', () => resolve());
      rpcs.get(w.id)?.call('stop').catch(() => w.kill('SIGTERM'));
    })));
    store.close?.();
    process.exit(exitCode);
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('disconnect', () => void stop('supervisor exited'));

  // Between scrapes too, so a worker that dies takes few uncollected counts with it.
  setInterval(() => void collect(), METRICS_REFRESH_MS).unref();
  for (let i = 0; i < config.workers; i++) fork();
  log.info({ deployment: config.deployment, instanceId: config.instanceId, storage: store.root, workers: config.workers, port: config.port }, 'inference service starting its worker processes');
}

function memberOf(id: number, rpc: Rpc): Member {
  return {
    id,
    // Reading and verifying a large artifact can take a while; the rest is instant.
    prepare: (manifest: DeploymentManifest) => rpc.call<PrepareResult>('prepare', manifest, 300_000),
    commit: () => rpc.call<CommitResult>('commit'),
    abort: () => rpc.call<void>('abort'),
    view: (view: InstanceView) => void rpc.call('view', view).catch(() => {}),
  };
}
