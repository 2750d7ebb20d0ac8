import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { KeyRing } from './auth';
import { renderDocsPage } from './docs-page';
import { EmfMetrics, withEmf } from './emf';
import { handleError, sendError } from './errors';
import { registerJsonBodyParser } from './json-body';
import { DeploymentWatcher, type InstanceView } from './deployment-watcher';
import { createInstanceMetrics, createMetrics, type Metrics } from './metrics';
import { applyLocally, ModelHolder } from './model-holder';
import { buildOpenApi } from './openapi';
import { registerPredictRoutes } from './predict-routes';
import { RecentRequests } from './recent-requests';
import { createMemoryStore, type ObjectStore } from './storage';
import { TelemetryBuffer } from './telemetry';

/**
 * The prediction service. It runs apart from the control plane and never touches
 * its database: it learns which model to serve from the deployment manifest in
 * storage. Built by buildApp() (tests use app.inject() and inject storage, clock
 * and intervals); listen() lives in main.ts.
 */
export type InferenceOptions = {
  logger?: FastifyServerOptions['logger'];
  serviceVersion?: string;
  /** Where the manifest and artifacts are read and status and telemetry written; default: empty, in memory. */
  store?: ObjectStore;
  deployment?: string;
  instanceId?: string;
  publicUrl?: string;
  pollMs?: number;
  heartbeatMs?: number;
  maxBatch?: number;
  bodyLimitBytes?: number;
  telemetryFlushMs?: number;
  telemetryCapacity?: number;
  recentRequests?: number;
  /** AWS mode: CloudWatch Embedded Metric Format lines every interval (default: none). */
  emf?: { intervalMs: number; namespace?: string; write?: (line: string) => void };
  /** Wall-clock milliseconds: rate limits, key expiry, timestamps. */
  clock?: () => number;
  /**
   * Set in a cluster worker (cluster-worker.ts): the primary follows the manifest
   * for the instance (it drives `holder`, keeps `view` current) and answers
   * /metrics for all workers. Unset: this process does both itself.
   */
  clusterWorker?: { view: InstanceView; instanceMetrics(): Promise<string>; workers: number };
};

/** What tests and main.ts reach through `app.inference`. */
export type InferenceHandle = {
  holder: ModelHolder;
  telemetry: TelemetryBuffer;
  /** This process's request metrics (a cluster's primary collects them). */
  metrics: Metrics;
  /** Follows the manifest; null in a cluster worker, whose primary does. */
  watcher: DeploymentWatcher | null;
  /** Applies the manifest in storage now (after any poll in progress); a no-op in a cluster worker. */
  reload(): Promise<void>;
};

declare module 'fastify' {
  interface FastifyInstance {
    inference: InferenceHandle;
  }
}

export function buildApp(options: InferenceOptions = {}): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes ?? 1_048_576;
  const deployment = options.deployment ?? 'production';
  const serviceVersion = options.serviceVersion ?? 'dev';
  const maxBatch = options.maxBatch ?? 100;
  const clock = options.clock ?? Date.now;
  const store = options.store ?? createMemoryStore();
  const instanceId = options.instanceId ?? `local-${process.pid}`;

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    // Request ids are UUIDs: feedback quotes them, and they must not collide across replicas.
    genReqId: () => randomUUID(),
    // Nothing logged per request: at thousands of requests a second the log would cost more than the prediction.
    logController: new LogController({ disableRequestLogging: true }),
    requestTimeout: 30_000,
  });
  // Only JSON is accepted; Fastify's default text/plain parser would hand handlers a string.
  app.removeContentTypeParser('text/plain');
  registerJsonBodyParser(app, bodyLimit);
  // The EMF counters read the serving version per request; holder exists by the time a request arrives.
  const emf: EmfMetrics | null = options.emf ? new EmfMetrics({ ...options.emf, deployment, clock, currentVersion: (): string | null => holder.serving?.ref.versionId ?? null }) : null;
  const metrics = withEmf(createMetrics(), emf);
  const worker = options.clusterWorker ?? null;
  // Each of N workers sees about 1/N of the connections: so that the instance keeps to a key's rate, each allows 1/N of it.
  const keys = new KeyRing({ rateShare: worker ? 1 / worker.workers : 1 });
  const holder = new ModelHolder({ store, keys, clock });
  const watcher = worker
    ? null
    : new DeploymentWatcher({
        store, deployment, instanceId, log: app.log, clock, serviceVersion, metrics: createInstanceMetrics(metrics.registry), apply: applyLocally(holder),
        url: options.publicUrl ?? 'http://127.0.0.1:8080', pollMs: options.pollMs ?? 2000, heartbeatMs: options.heartbeatMs,
      });
  const view: InstanceView = worker?.view ?? watcher!;
  const telemetry = new TelemetryBuffer({
    store, deployment, instanceId, clock, flushMs: options.telemetryFlushMs ?? 5000, capacity: options.telemetryCapacity,
    onDropped: (n) => metrics.telemetryDropped.inc(n),
    onError: (error) => app.log.error({ err: error }, 'could not write telemetry to storage'),
  });
  app.decorate('inference', { holder, telemetry, metrics, watcher, reload: () => watcher?.reload() ?? Promise.resolve() } satisfies InferenceHandle);

  app.addHook('onReady', async () => {
    // Not awaited: the first manifest (and a possibly large model) loads while /healthz already answers.
    watcher?.start().catch((error) => app.log.error({ err: error }, 'the deployment watcher failed to start'));
    telemetry.start();
    emf?.start();
  });
  app.addHook('onClose', async () => {
    await watcher?.stop();
    await telemetry.stop();
    emf?.stop();
  });
  // Callback-style hooks: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeRequest(request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok', service: 'inference', version: serviceVersion }));

  app.get('/readyz', async (_request, reply) => {
    const serving = holder.serving;
    if (serving) {
      return { ready: true, model: { ...serving.ref, sha256: serving.info.sha256, loadedAt: serving.loadedAt }, manifestRevision: view.revision, state: view.state, lastError: view.lastError?.message ?? null };
    }
    const reason = view.lastError
      ? `No model is being served: ${view.lastError.message}`
      : view.revision !== null
        ? `No model is deployed to "${deployment}" (manifest revision ${view.revision} has none): deploy a model from the control plane.`
        : 'No model is deployed yet. Register, approve and deploy a model from the control plane.';
    return reply.code(503).send({ ready: false, reason, manifestRevision: view.revision });
  });

  app.get('/metrics', async (_request, reply) => {
    let text: string;
    try {
      text = worker ? await worker.instanceMetrics() : await metrics.registry.metrics();
    } catch (error) {
      return sendError(reply, metrics, 'NOT_READY', `Could not gather the metrics of the worker processes: ${(error as Error).message}`);
    }
    return reply.header('content-type', metrics.registry.contentType).send(text);
  });

  let openapi: ReturnType<typeof buildOpenApi> | null = null;
  let docs: string | null = null;
  const document = () => (openapi ??= buildOpenApi({ maxBatch, bodyLimitBytes: bodyLimit, serviceVersion, deployment }));
  app.get('/openapi.json', async () => document());
  app.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send((docs ??= renderDocsPage(document()))));

  registerPredictRoutes(app, { holder, keys, metrics, telemetry, recent: new RecentRequests(options.recentRequests), deployment, maxBatch, clock });

  app.setErrorHandler((error: FastifyError, request, reply) => handleError(error, request, reply, metrics, bodyLimit));
  app.setNotFoundHandler((request, reply) => sendError(reply, metrics, 'NOT_FOUND', `No route ${request.method} ${request.url.slice(0, 200)}: see /docs`));
  return app;
}
