import { buildApp } from './app';

const port = Number(process.env.INFERENCE_PORT ?? 8080);
const host = process.env.INFERENCE_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`INFERENCE_PORT must be a port number (got "${process.env.INFERENCE_PORT}")`);
  process.exit(1);
}

const app = buildApp({ logger: process.env.LOG_LEVEL !== 'silent', serviceVersion: process.env.SERVICE_VERSION });

async function stop(signal: string) {
  app.log.info({ signal }, 'inference service stopping');
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('disconnect', () => void stop('supervisor exited'));

app.listen({ port, host }).catch((error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use: set INFERENCE_PORT to a free port.` : error.message);
  process.exit(1);
});
