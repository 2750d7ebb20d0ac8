import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { KeyRing } from './auth';
import { renderDocsPage } from './docs-page';
import { EmfMetrics, withEmf } from './emf';
import { handleError, sendError } from './errors';
import { createMetrics } from './metrics';
import { ModelHolder } from './model-holder';
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
};

/** What tests and main.ts reach through `app.inference`. */
export type InferenceHandle = {
  holder: ModelHolder;
  telemetry: TelemetryBuffer;
  /** Applies the manifest in storage now (after any poll in progress). */
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
  // The EMF counters read the serving version per request; holder exists by the time a request arrives.
  const emf: EmfMetrics | null = options.emf ? new EmfMetrics({ ...options.emf, deployment, clock, currentVersion: (): string | null => holder.serving?.ref.versionId ?? null }) : null;
  const metrics = withEmf(createMetrics(), emf);
  const keys = new KeyRing();
  const holder = new ModelHolder({
    store, deployment, instanceId, keys, metrics, log: app.log, clock, serviceVersion,
    url: options.publicUrl ?? 'http://127.0.0.1:8080', pollMs: options.pollMs ?? 2000, heartbeatMs: options.heartbeatMs,
  });
  const telemetry = new TelemetryBuffer({
    store, deployment, instanceId, clock, flushMs: options.telemetryFlushMs ?? 5000, capacity: options.telemetryCapacity,
    onDropped: (n) => metrics.telemetryDropped.inc(n),
    onError: (error) => app.log.error({ err: error }, 'could not write telemetry to storage'),
  });
  app.decorate('inference', { holder, telemetry, reload: () => holder.reload() } satisfies InferenceHandle);

  app.addHook('onReady', async () => {
    // Not awaited: the first manifest (and a possibly large model) loads while /healthz already answers.
    holder.start().catch((error) => app.log.error({ err: error }, 'the deployment watcher failed to start'));
    telemetry.start();
    emf?.start();
  });
  app.addHook('onClose', async () => {
    await holder.stop();
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
      return { ready: true, model: { ...serving.ref, sha256: serving.info.sha256, loadedAt: serving.loadedAt }, manifestRevision: holder.revision, state: holder.state, lastError: holder.lastError?.message ?? null };
    }
    const reason = holder.lastError
      ? `No model is being served: ${holder.lastError.message}`
      : holder.revision !== null
        ? `No model is deployed to "${deployment}" (manifest revision ${holder.revision} has none): deploy a model from the control plane.`
        : 'No model is deployed yet. Register, approve and deploy a model from the control plane.';
    return reply.code(503).send({ ready: false, reason, manifestRevision: holder.revision });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
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
