/**
 * The floor for bench/inference.ts --floor: what Node and Fastify alone cost on
 * this machine for the same requests — the body parsed, the API key's sha256
 * looked up, a request id and a constant prediction sent back — with no
 * validation, model, metrics or telemetry. Our service can only be slower.
 * FLOOR_WORKERS=N (default 1) serves from N processes under a cluster primary,
 * as our service does with INFERENCE_WORKERS=N.
 *
 *   FLOOR_PORT=8081 FLOOR_KEY_SHA256=<hex> [FLOOR_WORKERS=2] node --import tsx bench/lib/fastify-floor.ts
 */
import cluster from 'node:cluster';
import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';

const workers = Number(process.env.FLOOR_WORKERS ?? 1);
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  const stop = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await serve();
}

async function serve() {
  const keySha = process.env.FLOOR_KEY_SHA256;
  const app = Fastify({ logger: false, genReqId: () => randomUUID() });
  const BEARER = /^Bearer\s+(psk_[A-Za-z0-9_-]{1,200})\s*$/;

  app.get('/readyz', async () => ({ ready: true }));
  app.post('/v1/predict', (request, reply) => {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (!match || createHash('sha256').update(match[1]!).digest('hex') !== keySha) return reply.code(401).send({ error: { code: 'UNAUTHENTICATED' } });
    const lines = (request.body as { basket?: { lines?: unknown[] } }).basket?.lines?.length ?? 0;
    return reply.send({ requestId: request.id, model: { versionId: 'floor', name: 'floor', version: lines }, prediction: { label: 'MM', probabilities: { LA: 0.25, MM: 0.5, UM: 0.25 } } });
  });

  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  await app.listen({ port: Number(process.env.FLOOR_PORT), host: '127.0.0.1' });
}
