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

// The trainer's main thread is busy training and cannot notice its worker dying
// (no event loop turn for the IPC "disconnect"). This thread can: when the parent
// process is gone (we were re-parented), or the run is no longer this worker's,
// the whole trainer stops — the worker's recovery re-queues the run.
const parentPid = workerData.parentPid;
const workerId = workerData.workerId;
const stopTrainer = (why) => {
  process.stderr.write(`trainer stopping: ${why}\n`);
  process.kill(process.pid, 'SIGKILL');
};
setInterval(async () => {
  if (parentPid && process.ppid !== parentPid) return stopTrainer('its worker process exited');
  try {
    const { rows } = await client.query(`select status, "workerId" from "Run" where id = $1`, [runId]);
    const run = rows[0];
    if (!run || run.status !== 'running' || (workerId && run.workerId !== workerId)) stopTrainer('the run is no longer running on this worker');
  } catch {
    // A database hiccup is not a reason to stop training.
  }
}, 1000);

parentPort.on('message', (message) => {
  chain = chain.then(() => handle(message)).catch((error) => parentPort.postMessage({ type: 'error', message: error.message }));
});
