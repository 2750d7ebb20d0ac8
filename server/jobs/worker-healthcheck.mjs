// The worker container's health check (docker/worker.Dockerfile HEALTHCHECK, and the
// Kubernetes exec probe): exit 0 when the worker's heartbeat file is younger than
// the age the Overview uses to count a worker alive (60 s; the worker beats every
// 15 s), 1 otherwise. Plain JavaScript without tsx: it runs every 30 s.
//   node server/jobs/worker-healthcheck.mjs [file] [maxAgeSeconds]
import { statSync } from 'node:fs';

const file = process.argv[2] ?? process.env.WORKER_HEARTBEAT_FILE;
const maxAgeMs = Number(process.argv[3] ?? 60) * 1000;

if (!file) {
  console.error('worker health: no heartbeat file (set WORKER_HEARTBEAT_FILE)');
  process.exit(1);
}
try {
  const ageMs = Date.now() - statSync(file).mtimeMs;
  if (ageMs > maxAgeMs) {
    console.error(`worker health: last heartbeat ${Math.round(ageMs / 1000)} s ago (limit ${maxAgeMs / 1000} s)`);
    process.exit(1);
  }
} catch (error) {
  console.error(`worker health: no heartbeat yet (${error.code ?? error.message})`);
  process.exit(1);
}
