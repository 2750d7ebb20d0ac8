/**
 * The prediction API under load, ours against the seed design's reference, in one
 * run on this machine:
 *   ours       the inference service (inference/, Fastify) as deployed: INFERENCE_WORKERS
 *              worker processes (--workers, default "auto" as in the container: one
 *              per usable core), serving our GBDT (100 rounds, depth 6, eta 0.3, no
 *              early stopping) from a deployment manifest in a temporary local
 *              storage folder
 *   reference  FastAPI + uvicorn (one worker, as the seed design ran it) + XGBoost
 *              hist with the same rounds/depth/eta on product presence + aggregates
 *              (bench/reference/app.py, trained by bench/reference/train.py); when
 *              ours runs N > 1 workers, the reference is also measured with
 *              `uvicorn --workers N`, for a like-for-like ratio beside the target's
 * Both train on the same CSV (synthetic by default, the real files with --real),
 * answer the same held-out baskets (agreement and accuracy are printed), and
 * then take wrk's load one after the other: POST /v1/predict, one basket per
 * request, rotating through the same request bodies (bench/inference-wrk.lua).
 * Needs wrk and Debian's python3-fastapi, python3-uvicorn and python3-xgboost.
 *
 *   npx tsx --conditions=react-server bench/inference.ts [--duration 30] [--connections 32] [--threads 2]
 *     [--warmup 3] [--rows 200000 | --real [--data DIR] [--weeks N]] [--workers auto|N] [--reference-workers 1]
 *     [--baskets 1000] [--check 200] [--repeat 1] [--quiet-wait 60] [--rate R] [--bundle] [--floor] [--profile DIR]
 *     [--node-flags=--single-threaded-gc] [--json]
 * Ours runs from source through tsx by default; --bundle builds the container's
 * bundle (inference/build.mjs, into the temporary folder) and runs that instead.
 * The machine may be shared: before each measurement the bench waits (up to
 * --quiet-wait seconds) until other processes leave the CPU, reports how much
 * CPU they took during each measurement, and with --repeat N measures every
 * service N times, alternating, and reports for each the median of its
 * least-disturbed runs.
 * --rate R also measures each service at about R requests/s offered (after its
 * saturation run): latency below saturation, where queueing behind the other
 * connections does not dominate (paced with wrk's delay(), so a stall delays
 * later requests instead of piling them up: tails are optimistic).
 * --floor also measures bare Fastify answering the same requests with a constant
 * (bench/lib/fastify-floor.ts): what HTTP alone costs on this machine.
 * --profile writes our service's CPU profile to DIR and prints where its time
 * went during the measurement.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { usableCpus } from '../inference/src/config';
import { manifestKey, type DeploymentManifest } from '../inference/src/contract';
import { writeSyntheticFile } from '../server/datasets/synthetic/write-file';
import { loadBaskets } from '../server/ml/load-baskets';
import { splitForTraining } from '../server/ml/train-and-evaluate';
import { apiBasket, pickBaskets } from './lib/api-baskets';
import { monotonicMicros, summariseProfile } from './lib/cpu-profile';
import { checkPredictions, evaluateTargets, printReport, type CheckResult, type ServiceResult } from './lib/inference-report';
import { freePort, groupCpuSeconds, installCleanup, machineBusySeconds, QUIET_CORES, runTracked, startService, waitForQuiet, waitReady, type Service } from './lib/services';
import { findWrk, runWrk, type WrkResult } from './lib/wrk';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    rows: { type: 'string', default: '200000' },
    real: { type: 'boolean', default: false },
    data: { type: 'string', default: path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'dunnhumby') },
    weeks: { type: 'string' },
    workers: { type: 'string', default: 'auto' },
    'reference-workers': { type: 'string', default: '1' },
    baskets: { type: 'string', default: '1000' },
    check: { type: 'string', default: '200' },
    profile: { type: 'string' },
    'node-flags': { type: 'string', default: '' },
    bundle: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    rate: { type: 'string' },
    'quiet-wait': { type: 'string', default: '60' },
    json: { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof opt, min: number) => {
  const v = Number(opt[name]);
  if (!Number.isInteger(v) || v < min) fail(`--${name} must be a whole number ≥ ${min} (got ${String(opt[name])})`);
  return v;
};
function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
const log = (message: string) => process.stderr.write(`${message}\n`);

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(import.meta.dirname, '..');
const REFERENCE_DIR = path.join(import.meta.dirname, 'reference');
const settings = {
  durationSeconds: int('duration', 1), connections: int('connections', 1), wrkThreads: int('threads', 1), warmupSeconds: int('warmup', 0),
  referenceWorkers: int('reference-workers', 1), loadBaskets: int('baskets', 1), checkBaskets: int('check', 1), repeat: int('repeat', 1),
  quietWaitSeconds: int('quiet-wait', 0), rate: opt.rate === undefined ? null : int('rate', 1),
  // What the service's INFERENCE_WORKERS=auto resolves to here, unless told.
  workers: opt.workers === 'auto' ? usableCpus() : int('workers', 1),
};
// Comparable models: XGBoost's shape (depth-wise, depth 6, 100 rounds × 3 classes, eta 0.3), no early stopping on either side.
const OUR_PARAMS = { nEstimators: 100, maxDepth: 6, maxLeaves: 64, growth: 'depthwise', learningRate: 0.3, validationFraction: 0 };

const wrk = findWrk() ?? fail('wrk is not installed: apt-get install wrk');
const pythonCheck = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn, xgboost, scipy, pydantic, importlib.util as u; import json; print(json.dumps({"fastapi": fastapi.__version__, "uvicorn": uvicorn.__version__, "xgboost": xgboost.__version__, "pydantic": pydantic.VERSION, "loop": "uvloop" if u.find_spec("uvloop") else "asyncio", "http": "httptools" if u.find_spec("httptools") else "h11"}))'], { encoding: 'utf8' });
if (pythonCheck.status !== 0) fail(`The reference needs Debian's Python packages: apt-get install python3-fastapi python3-uvicorn python3-xgboost python3-scipy\n${pythonCheck.stderr.trim()}`);
const pythonStack = JSON.parse(pythonCheck.stdout) as Record<string, string>;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pricesense-inference-bench-'));
installCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
const storageDir = path.join(dir, 'storage');
const referenceModelDir = path.join(dir, 'reference');

// Data: the same CSV file(s) for both trainers.
let files: string[];
if (opt.real) {
  const all = fs.existsSync(opt.data) ? fs.readdirSync(opt.data).filter((f) => /^transactions_\d{6}\.csv(\.gz)?$/.test(f)).sort() : [];
  if (!all.length) fail(`No transactions_YYYYWW.csv[.gz] files in ${opt.data}`);
  files = all.slice(opt.weeks ? -int('weeks', 2) : 0).map((f) => path.join(opt.data, f));
} else {
  const rows = int('rows', 10_000);
  log(`generating ${rows.toLocaleString('en-US')} synthetic rows…`);
  files = [(await writeSyntheticFile({ rows, seed: 1, out: path.join(dir, 'synthetic.csv.gz') })).file];
}
const table = await loadBaskets({ kind: 'csv', files });
const { split, train, test } = splitForTraining(table);
log(`${table.size.toLocaleString('en-US')} baskets; training on weeks ${split.trainWeeks.join('–')} (${train.size.toLocaleString('en-US')} labelled), holding out ${split.testWeeks.join('–')} (${test.size.toLocaleString('en-US')})`);

// Train both, each in its own process, at once (training speed is bench/ml.ts's subject, not this one's).
log('training ours and the reference…');
const artifactFile = path.join(storageDir, 'models', 'bench', 'model.json');
fs.mkdirSync(path.dirname(artifactFile), { recursive: true });
const [oursTrained, referenceTrained] = await Promise.all([
  runTracked(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(import.meta.dirname, 'lib', 'train-ours.ts'), artifactFile, JSON.stringify(OUR_PARAMS), ...files], { cwd: REPO }),
  runTracked(PYTHON, [path.join(REFERENCE_DIR, 'train.py'), '--out', referenceModelDir, '--to-week', String(split.trainWeeks[1]), '--rounds', '100', '--depth', '6', '--eta', '0.3', ...files]),
]);
const lastJsonLine = (name: string, r: { code: number | null; output: string }) => {
  if (r.code !== 0) throw new Error(`${name} failed (exit ${r.code}):\n${r.output.slice(-2000)}`);
  return JSON.parse(r.output.trim().split('\n').at(-1)!) as Record<string, unknown>;
};
const ourSummary = lastJsonLine('bench/lib/train-ours.ts', oursTrained) as { sha256: string; bytes: number; features: number; baskets: number };
const referenceSummary = lastJsonLine('bench/reference/train.py', referenceTrained);
if (ourSummary.baskets !== train.size) throw new Error(`train-ours.ts trained on ${ourSummary.baskets} baskets, expected ${train.size}`);

// Our side of the deployment contract: the artifact and a manifest naming it and the API key's hash.
const secret = `psk_${randomBytes(32).toString('base64url')}`;
const secretSha = createHash('sha256').update(secret).digest('hex');
const manifest: DeploymentManifest = {
  format: 'pricesense-deployment', schemaVersion: 1, deployment: 'production', revision: 1, publishedAt: new Date().toISOString(),
  model: { versionId: 'bench', modelName: 'bench-gbdt', version: 1, algorithm: 'gbdt', artifactKey: 'models/bench/model.json', artifactUri: `file://${artifactFile}`, sha256: ourSummary.sha256 },
  keys: [{ id: 'bench', name: 'bench', prefix: secret.slice(0, 12), sha256: secretSha, expiresAt: null, rateLimitPerSecond: 1_000_000 }],
};
fs.mkdirSync(path.dirname(path.join(storageDir, manifestKey('production'))), { recursive: true });
fs.writeFileSync(path.join(storageDir, manifestKey('production')), JSON.stringify(manifest, null, 2));
fs.writeFileSync(path.join(referenceModelDir, 'keys.json'), JSON.stringify([{ id: 'bench', sha256: secretSha }]));

// The same request bodies for both: held-out baskets, one per request.
const picked = pickBaskets(test, Math.max(settings.loadBaskets, settings.checkBaskets), 7).map((b) => apiBasket(test, b));
const checkSet = picked.slice(0, settings.checkBaskets);
const loadSet = picked.slice(0, settings.loadBaskets);
const bodiesFile = path.join(dir, 'bodies.jsonl');
fs.writeFileSync(bodiesFile, loadSet.map((p) => JSON.stringify({ basket: p.basket })).join('\n') + '\n');
const meanLines = loadSet.reduce((s, p) => s + p.basket.lines.length, 0) / loadSet.length;
const meanBodyBytes = loadSet.reduce((s, p) => s + JSON.stringify({ basket: p.basket }).length, 0) / loadSet.length;

// Extra Node/V8 flags for ours (workers inherit them), to try runtime settings: --node-flags="--single-threaded-gc --max-semi-space-size=32" (with "=": the value starts with --).
const nodeFlags = opt['node-flags'].split(/\s+/).filter(Boolean);
const profileRoot = opt.profile ? path.resolve(opt.profile) : null;
let ourEntry = ['--import', 'tsx', 'inference/src/main.ts'];
if (opt.bundle) {
  const build = spawnSync(process.execPath, [path.join(REPO, 'inference', 'build.mjs'), path.join(dir, 'dist')], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`inference/build.mjs failed:\n${build.stdout}${build.stderr}`);
  // As the container's start script runs it.
  ourEntry = ['--enable-source-maps', path.join(dir, 'dist', 'main.mjs')];
}

// Which code of ours was measured: inference/ is under active work, so a number needs its commit.
const git = (...args: string[]) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout?.trim() ?? '';
const ourCode = `${git('rev-parse', '--short', 'HEAD') || 'unknown commit'}${git('status', '--porcelain', '--', 'inference', 'ml') ? ' with uncommitted changes in inference/ or ml/' : ''}`;

type Contender = { label: string; role: 'ours' | 'floor' | 'reference' | 'reference-at-workers'; workers: number; note: string; start(run: number): Promise<Service> };
const plural = (n: number, what: string) => `${n} ${what}${n > 1 ? 'es' : ''}`;
const referenceContender = (workers: number, role: Contender['role']): Contender => ({
  label: `reference (FastAPI + uvicorn, ${workers} worker${workers > 1 ? 's' : ''})`, role, workers,
  note: `uvicorn app:app with ${workers} worker${workers > 1 ? 's' : ''}${role === 'reference' && workers === 1 ? ' as the seed design ran it' : role === 'reference-at-workers' ? ', as many processes as ours' : ''}, access log off; FastAPI ${pythonStack.fastapi}, pydantic ${pythonStack.pydantic}, uvicorn ${pythonStack.uvicorn} (${pythonStack.loop} loop, ${pythonStack.http} HTTP parser), XGBoost ${pythonStack.xgboost}`,
  async start() {
    const port = await freePort();
    return startService('reference (FastAPI + uvicorn + XGBoost)', PYTHON, ['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--workers', String(workers), '--no-access-log', '--log-level', 'warning'], {
      cwd: REFERENCE_DIR, port, env: { ...process.env, REFERENCE_MODEL_DIR: referenceModelDir },
    });
  },
});
const contenders: Contender[] = [
  {
    label: `ours (Fastify, Node, ${plural(settings.workers, 'process')})`, role: 'ours', workers: settings.workers,
    note: `Node ${process.version}, ${nodeFlags.length ? `node ${nodeFlags.join(' ')}, ` : ''}INFERENCE_WORKERS=${settings.workers}${opt.workers === 'auto' ? ' (auto: one per usable core, as the container runs it)' : ''}${settings.workers > 1 ? ' worker processes under a primary' : ', one process'}, ${opt.bundle ? 'the container bundle (inference/build.mjs)' : 'from source through tsx'}, telemetry and metrics on; code at ${ourCode}`,
    async start(run) {
      const port = await freePort();
      const profile = profileRoot ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileRoot, `run-${run}`)] : [];
      return startService('our inference service', process.execPath, [...nodeFlags, ...profile, ...ourEntry], {
        cwd: REPO, port,
        env: { ...process.env, INFERENCE_WORKERS: String(settings.workers), INFERENCE_PORT: String(port), INFERENCE_HOST: '127.0.0.1', STORAGE_BACKEND: 'local', STORAGE_DIR: storageDir, INFERENCE_DEPLOYMENT: 'production', LOG_LEVEL: 'silent', INFERENCE_POLL_MS: '500', NODE_ENV: 'production' },
      });
    },
  },
  ...(opt.floor
    ? [{
        label: `floor: bare Fastify, constant answer, ${plural(settings.workers, 'process')}`, role: 'floor', workers: settings.workers,
        note: `same requests and ${settings.workers > 1 ? 'as many worker processes as ours' : 'one process'}: body parsed, key checked, constant prediction; no validation, model, metrics or telemetry`,
        async start() {
          const port = await freePort();
          return startService('Fastify floor', process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'lib', 'fastify-floor.ts')], {
            cwd: REPO, port, env: { ...process.env, FLOOR_PORT: String(port), FLOOR_KEY_SHA256: secretSha, FLOOR_WORKERS: String(settings.workers), NODE_ENV: 'production' },
          });
        },
      } satisfies Contender]
    : []),
  referenceContender(settings.referenceWorkers, 'reference'),
  ...(settings.workers > 1 && settings.workers !== settings.referenceWorkers ? [referenceContender(settings.workers, 'reference-at-workers')] : []),
];

const wrkRun = (service: Service, seconds: number, rate?: number) =>
  runWrk({ wrk, url: service.baseUrl, bodiesFile, apiKey: secret, seconds, connections: settings.connections, threads: settings.wrkThreads, rate });

/** One measurement of one contender, started for it and stopped after: the correctness check (first run only), warm-up, load. */
async function measure(c: Contender, run: number, previous: CheckResult | null): Promise<ServiceResult> {
  const service = await c.start(run);
  try {
    const readyMs = await waitReady(service, '/readyz', 180_000);
    let check = previous;
    if (!check) {
      log(`${c.label}: ready after ${(readyMs / 1000).toFixed(1)} s; checking ${checkSet.length} baskets…`);
      check = await checkPredictions(service.baseUrl, secret, checkSet);
      if (check.invalid.length) throw new Error(`${c.label} gave invalid answers, not loading it: ${check.invalid.slice(0, 3).join('; ')}`);
    }
    if (settings.quietWaitSeconds) {
      const busy = await waitForQuiet(settings.quietWaitSeconds);
      if (busy !== null && busy >= QUIET_CORES) log(`  the machine is still busy (${busy.toFixed(2)} cores used by others after ${settings.quietWaitSeconds} s): measuring anyway`);
    }
    if (settings.warmupSeconds) await wrkRun(service, settings.warmupSeconds);
    log(`${c.label}: ${settings.durationSeconds} s of wrk -t${settings.wrkThreads} -c${settings.connections}${settings.repeat > 1 ? ` (run ${run} of ${settings.repeat})` : ''}…`);
    const [cpuBefore, busyBefore, fromMicros] = [groupCpuSeconds(service.pid), machineBusySeconds(), monotonicMicros()];
    const wrkResult = await wrkRun(service, settings.durationSeconds);
    const [cpuAfter, busyAfter, toMicros] = [groupCpuSeconds(service.pid), machineBusySeconds(), monotonicMicros()];
    const cpuSeconds = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
    // Whatever else ran meanwhile (these machines are shared): all busy CPU minus the service's and wrk's.
    const otherCores = busyBefore !== null && busyAfter !== null && cpuSeconds !== null && wrkResult.wrkCpuSeconds !== null
      ? Math.max(0, busyAfter - busyBefore - cpuSeconds - wrkResult.wrkCpuSeconds) / wrkResult.durationSeconds
      : null;
    let atRate: WrkResult | null = null;
    if (settings.rate) {
      log(`${c.label}: ${settings.durationSeconds} s at about ${settings.rate} requests/s offered…`);
      atRate = await wrkRun(service, settings.durationSeconds, settings.rate);
    }
    return { name: c.label, role: c.role, workers: c.workers, note: c.note, run, wrk: wrkResult, atRate, check, otherCores, cpuSeconds, readySeconds: readyMs / 1000, window: { fromMicros, toMicros } };
  } finally {
    await service.stop();
  }
}

// One after the other, never two at once; with --repeat, alternating, so slow drifts in the machine's load hit all alike.
const runs: ServiceResult[][] = contenders.map(() => []);
for (let run = 1; run <= settings.repeat; run++) {
  for (const [i, c] of contenders.entries()) runs[i]!.push(await measure(c, run, runs[i]![0]?.check ?? null));
}
// Each contender's reported run: the median (by requests/s) of its runs that other processes disturbed least.
const rate = (r: ServiceResult) => r.wrk.requests / r.wrk.durationSeconds;
const chosen = runs.map((rs) => {
  const least = Math.min(...rs.map((r) => r.otherCores ?? 0));
  const quiet = rs.filter((r) => (r.otherCores ?? 0) <= least + 0.05).sort((a, b) => rate(a) - rate(b));
  return quiet[Math.floor(quiet.length / 2)]!;
});
const byRole = (role: Contender['role']) => chosen.find((r) => r.role === role) ?? null;
const ours = byRole('ours')!;
const reference = byRole('reference')!;
const referenceAtWorkers = byRole('reference-at-workers');
const rps = (r: ServiceResult) => r.wrk.requests / r.wrk.durationSeconds;

let agree = 0;
for (let i = 0; i < checkSet.length; i++) if (ours.check.labels[i] === reference.check.labels[i]) agree++;
const report = {
  date: new Date().toISOString(),
  command: `npx tsx --conditions=react-server bench/inference.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, python: spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim(), ...pythonStack },
  settings: { ...settings, wrk, bodies: loadSet.length, meanLinesPerBasket: meanLines, meanBodyBytes },
  data: { source: opt.real ? `real (${files.length} files in ${opt.data})` : `synthetic (${table.lineOffsets[table.size]} rows, seed 1)`, baskets: table.size, trainWeeks: split.trainWeeks, testWeeks: split.testWeeks, trainBaskets: train.size, testBaskets: test.size },
  models: {
    ours: { algorithm: 'gbdt', params: OUR_PARAMS, trees: OUR_PARAMS.nEstimators * 3, features: ourSummary.features, artifactMb: ourSummary.bytes / 1e6 },
    reference: { algorithm: 'xgboost hist multi:softprob', trees: Number(referenceSummary.rounds) * 3, depth: referenceSummary.depth, features: referenceSummary.features, trainAccuracy: referenceSummary.trainAccuracy },
  },
  correctness: { baskets: checkSet.length, agreement: agree / checkSet.length, oursAccuracy: ours.check.accuracy, referenceAccuracy: reference.check.accuracy },
  services: chosen,
  allRuns: runs.map((rs) => rs.map((r) => ({ name: r.name, run: r.run, requestsPerSecond: rate(r), p99Ms: r.wrk.latencyMs.p99, otherCores: r.otherCores }))),
  ratio: rps(ours) / rps(reference),
  // Like for like: the reference with as many processes as ours (null when ours runs one, or the reference already has as many).
  ratioAtWorkers: referenceAtWorkers ? { workers: referenceAtWorkers.workers, ratio: rps(ours) / rps(referenceAtWorkers) } : null,
  // Requests per CPU-second of the service: what each request costs, whatever else shared the machine.
  cpuRatio: ours.cpuSeconds && reference.cpuSeconds ? ours.wrk.requests / ours.cpuSeconds / (reference.wrk.requests / reference.cpuSeconds) : null,
  targets: evaluateTargets(ours, reference),
  profile: profileRoot ? summariseProfile(path.join(profileRoot, `run-${ours.run}`), ours.window) : null,
};
// The per-basket labels only served the agreement above.
if (opt.json) console.log(JSON.stringify({ ...report, services: report.services.map((s) => ({ ...s, check: { ...s.check, labels: undefined } })) }, null, 2));
else printReport(report);
