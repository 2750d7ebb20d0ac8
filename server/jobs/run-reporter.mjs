// A worker thread of the trainer process that writes progress, curve points and
// log lines to the database. Training is synchronous and keeps the trainer's main
// thread busy; messages posted from it are handled here at once, so a run's page
// moves while it trains. Plain SQL through pg: this thread needs no ORM.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';

const client = new pg.Client({ connectionString: workerData.databaseUrl, application_name: 'pricesense:trainer-progress' });
await client.connect();
const runId = workerData.runId;
let chain = Promise.resolve();

async function handle(message) {
  if (message.type === 'progress') {
    await client.query(`update "Run" set stage = $2, progress = $3, "etaSeconds" = $4 where id = $1 and status = 'running'`, [runId, message.stage, message.progress, message.etaSeconds]);
  } else if (message.type === 'points' && message.points.length) {
    const values = message.points.map((_, i) => `($1, $${3 * i + 2}, $${3 * i + 3}, $${3 * i + 4})`).join(', ');
    await client.query(`insert into "RunMetricPoint" ("runId", key, step, value) values ${values} on conflict do nothing`, [runId, ...message.points.flatMap((p) => [p.key, p.step, p.value])]);
  } else if (message.type === 'log') {
    await client.query(`insert into "RunLog" ("runId", level, message) values ($1, $2, $3)`, [runId, message.level, String(message.message).slice(0, 4000)]);
  } else if (message.type === 'flush') {
    parentPort.postMessage({ type: 'flushed', id: message.id });
  } else if (message.type === 'close') {
    await client.end();
    process.exit(0);
  }
}

parentPort.on('message', (message) => {
  chain = chain.then(() => handle(message)).catch((error) => parentPort.postMessage({ type: 'error', message: error.message }));
});
