import Fastify, { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The prediction service. It runs apart from the control plane and never touches
 * its database: it learns which model to serve from the deployment manifest in
 * storage. Built by buildApp() (tests use app.inject()); listen() lives in main.ts.
 */
export type InferenceOptions = { logger?: boolean; serviceVersion?: string };

export function buildApp(options: InferenceOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1_048_576 });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'inference_' });
  const requests = new Counter({ name: 'inference_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'inference_http_request_duration_seconds',
    help: 'Request latency',
    labelNames: ['route'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, status: String(reply.statusCode) });
    latency.observe({ route }, reply.elapsedTime / 1000);
  });

  app.get('/healthz', async () => ({ status: 'ok', service: 'inference', version: options.serviceVersion ?? 'dev' }));

  app.get('/readyz', async (_request, reply) => {
    // Ready only with a verified model loaded; model loading arrives with deployments.
    return reply.code(503).send({ ready: false, reason: 'No model is deployed yet. Register, approve and deploy a model from the control plane.' });
  });

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` } }),
  );
  return app;
}
