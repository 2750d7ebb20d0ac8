import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model } from '@/ml/model';
import { createS3Client, createS3Storage } from '@/server/adapters/storage/s3';
import type { StoragePort } from '@/server/adapters/storage/port';
import { createSageMakerBackend } from '@/server/adapters/training/sagemaker';
import { encodeHyperparameters, METRIC_DEFINITIONS } from '@/server/adapters/training/trainer-contract';
import type { Db } from '@/server/db/client';
import type { JobQueue } from '@/server/jobs/queue-port';
import { localRowsDir } from '@/server/services/datasets/local-layers';
import { DEMO_ACTOR, requestDemoSetup, setupDemo } from '@/server/services/demo/setup-demo';
import type { ServiceContext } from '@/server/services/context';
import { cancelRun } from '@/server/services/runs/cancel-run';
import { launchRun } from '@/server/services/runs/launch-run';
import { getRun, getRunLogs } from '@/server/services/runs/read-runs';
import { userContext } from '@/test/actors';
import { createTestDatabase } from '@/test/db';
import { startMoto, type MotoServer } from '@/test/moto';
import { tempDir } from '@/test/transactions';
import { executeRun } from './run-jobs';
import { sageMakerJobName, type SageMakerRunDeps } from './sagemaker-run';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const REGION = 'ap-southeast-1';
const BUCKET = 'pricesense-sm-test';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const sagemakerOpts = { region: REGION, credentials, roleArn: 'arn:aws:iam::123456789012:role/pricesense-sagemaker', imageUri: '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense-trainer:test' };

let moto: MotoServer;
let db: Db;
let url: string;
let dir: string;
let storage: StoragePort;
let engineer: ServiceContext;
let versionId: string;
const queue: JobQueue = { send: async () => 'job' };

beforeAll(async () => {
  moto = await startMoto();
  ({ db, url } = await createTestDatabase());
  dir = await tempDir();
  const s3 = createS3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
  s3.destroy();
  storage = createS3Storage({ bucket: BUCKET, prefix: 'mlops', region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await requestDemoSetup(db, { send: async () => 'demo-job' }, { rows: 20_000 });
  versionId = (await setupDemo({ actor: DEMO_ACTOR, db, adapters: { storage, workDir: path.join(dir, 'work') } }, { rows: 20_000, seed: 7, train: false })).id;
  const remote = createSageMakerBackend({ ...sagemakerOpts, endpoint: moto.endpoint });
  engineer = { ...(await userContext(db, 'ml_engineer')).ctx, adapters: { storage, queue, training: { remote, defaultBackend: 'local' } } };
}, 180_000);
afterAll(async () => {
  await moto?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const deps = (sagemaker: Partial<SageMakerRunDeps> = {}) => ({
  db, databaseUrl: url, workerId: 'test-worker', concurrency: 1,
  sagemaker: { remote: createSageMakerBackend({ ...sagemakerOpts, endpoint: moto.endpoint }), storage, instanceType: 'ml.m5.large', maxRuntimeSeconds: 3600, pollMs: 100, ...sagemaker },
});
const logsOf = async (runId: string) => (await getRunLogs(engineer, runId)).logs.map((l) => `${l.level}: ${l.message}`).join('\n');

/** Run the trainer entry the way the container does, on the version's rows; return its stdout and the gzipped model dir. */
async function trainInContainerLayout(runId: string, params: Record<string, unknown>) {
  const base = path.join(dir, `opt-ml-${runId}`);
  await fs.mkdir(path.join(base, 'input', 'config'), { recursive: true });
  const version = await db.datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  await fs.writeFile(path.join(base, 'input', 'config', 'hyperparameters.json'), JSON.stringify(encodeHyperparameters({ algorithm: 'gbdt', params, seed: 3, runId, datasetVersionId: versionId })));
  const rows = await localRowsDir(storage, version.datasetId, versionId, path.join(dir, 'cache'));
  const child = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'trainer/sagemaker-entry.ts'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, SM_BASE_DIR: base, SM_CHANNEL_TRAIN: rows, MLOPS_ML_THREADS: '1' },
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  const archive = path.join(base, 'model.tar.gz');
  expect(spawnSync('tar', ['-czf', archive, '-C', path.join(base, 'model'), '.']).status).toBe(0);
  return { stdout: child.stdout, archive: await fs.readFile(archive) };
}

describe('a run on SageMaker (moto)', () => {
  it('is refused at launch when SageMaker is not configured', async () => {
    const local = { ...engineer, adapters: { storage, queue, training: { remote: null, defaultBackend: 'local' as const } } };
    await expect(launchRun(local, { dataset: 'demo', backend: 'sagemaker' })).rejects.toThrow(/SageMaker training is not configured on this platform .*SAGEMAKER_ROLE_ARN/);
    await expect(launchRun({ ...engineer, adapters: { storage, queue } }, { dataset: 'demo', backend: 'sagemaker' })).rejects.toThrow(/not configured/);
  });

  it('submits the job, follows it and records metrics, model and cost from the archive the trainer wrote', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'gbdt', params: { nEstimators: 8, learningRate: 0.3 }, backend: 'sagemaker' });
    const jobName = sageMakerJobName({ id: run.id, number: run.number, attempts: 1 });
    // moto completes jobs at once without running them: put the archive the real container would have produced where moto says it is.
    const { stdout, archive } = await trainInContainerLayout(run.id, { nEstimators: 8, learningRate: 0.3 });
    const lossLine = stdout.split('\n').find((l) => l.includes('train_loss='))!;
    const finalLine = stdout.split('\n').find((l) => l.startsWith('final '))!;
    const match = (name: string, line: string) => new RegExp(METRIC_DEFINITIONS.find((m) => m.Name === name)!.Regex).exec(line)?.[1];
    expect(Number(match('train_loss', lossLine))).toBeGreaterThan(0);
    await storage.put(`runs/${run.id}/sagemaker/${jobName}/output/model.tar.gz`, archive);

    expect(await executeRun(deps(), run.id)).toBe('succeeded');
    const done = await getRun(engineer, run.id);
    expect(done).toMatchObject({ status: 'succeeded', backend: 'sagemaker', externalJobName: jobName, instanceType: 'ml.m5.large', progress: 1 });
    expect(done.accuracy).toBeGreaterThan(0.5);
    expect(done.accuracy).toBeCloseTo(Number(match('accuracy', finalLine)), 5);
    expect(done.macroF1).toBeCloseTo(Number(match('macro_f1', finalLine)), 5);
    expect(Object.keys(done.metrics!.per_class)).toEqual(['LA', 'MM', 'UM']);
    expect(done.costUsd).toBeGreaterThan(0);
    expect(done.artifactUri).toBe(storage.uri(`runs/${run.id}/model.json`));
    const model = Model.load((await storage.getBuffer(`runs/${run.id}/model.json`)).toString('utf8'));
    expect(model.body.training.datasetVersionId).toBe(versionId);
    expect(done.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
    const logs = await logsOf(run.id);
    expect(logs).toContain(`Submitted SageMaker training job ${jobName}`);
    expect(logs).toMatch(/SageMaker job .*: Completed/);
    expect(logs).toMatch(/Read .*model\.json.* accuracy/);
    expect(logs).toMatch(/no billable time; cost estimated/);
  }, 120_000);

  it("completes with SageMaker's final metrics only, and says so, when the archive is missing", async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree', backend: 'sagemaker' });
    expect(await executeRun(deps(), run.id)).toBe('succeeded');
    const done = await getRun(engineer, run.id);
    expect(done.externalJobName).toMatch(/^pricesense-run-\d+-[a-zA-Z0-9]{8}-a1$/);
    expect(done.artifactUri).toBe(`${storage.uri(`runs/${run.id}/sagemaker/${done.externalJobName}/output`)}/model.tar.gz`);
    expect(done.accuracy).toBeNull();
    expect(done.metrics).toBeNull();
    expect(await logsOf(run.id)).toMatch(/warn: Could not read the model archive .*No stored object.*final metric values only \(train:progress=100\)/);
  });

  it('on cancel, says moto cannot stop the job, marks the run cancelled and warns it may still bill', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree', backend: 'sagemaker' });
    const outcome = executeRun(deps({ pollMs: 1500 }), run.id);
    await expect.poll(async () => (await getRun(engineer, run.id)).externalJobName, { timeout: 10_000, interval: 50 }).toBeTruthy();
    expect(await cancelRun(engineer, run.id)).toMatchObject({ status: 'cancelling' });
    expect(await outcome).toBe('cancelled');
    const done = await getRun(engineer, run.id);
    expect(done).toMatchObject({ status: 'cancelled', stage: 'cancelled' });
    expect(await logsOf(run.id)).toMatch(/warn: Cancelled here, but the remote job was not stopped: SageMaker .* cannot stop training jobs .* may still run to the end and be billed/);
  });

  it('fails with a clear message when the SageMaker API cannot be reached', async () => {
    const run = await launchRun(engineer, { dataset: 'demo', algorithm: 'decision_tree', backend: 'sagemaker' });
    expect(await executeRun(deps({ remote: createSageMakerBackend({ ...sagemakerOpts, endpoint: 'http://127.0.0.1:9' }) }), run.id)).toBe('failed');
    const done = await getRun(engineer, run.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^Could not reach SageMaker in ap-southeast-1 at http:\/\/127.0.0.1:9 to start training job pricesense-run-/);
    expect(done.externalJobName).toBeNull();
  });
});
