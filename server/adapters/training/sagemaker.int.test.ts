import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MOTO_CREDENTIALS, sharedMotoServer } from '@/test/moto';
import { TrainingBackendError, TrainingJobNotFoundError, type TrainingJobSpec } from './port';
import { createSageMakerBackend, stoppingCondition } from './sagemaker';
import { encodeHyperparameters, METRIC_DEFINITIONS } from './trainer-contract';

const REGION = 'ap-southeast-1';
const credentials = MOTO_CREDENTIALS;
const ROLE = 'arn:aws:iam::123456789012:role/pricesense-sagemaker';
const IMAGE = '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense-trainer:test';

const motoServer = sharedMotoServer({ beforeAll, afterAll, beforeEach });

const backend = () => createSageMakerBackend({ region: REGION, endpoint: motoServer().endpoint, credentials, roleArn: ROLE, imageUri: IMAGE });
const spec = (jobName: string): TrainingJobSpec => ({
  jobName, runId: 'run123', instanceType: 'ml.m5.large', maxRuntimeSeconds: 3600, tags: { project: 'pricesense' },
  trainDataUri: 's3://bucket/datasets/d1/v1/curated/rows/', outputUri: 's3://bucket/runs/run123/sagemaker/',
  hyperparameters: encodeHyperparameters({ algorithm: 'gbdt', params: { nEstimators: 10 }, seed: 7, runId: 'run123', datasetVersionId: 'v1' }),
});

describe('SageMaker training backend (moto)', () => {
  it('submits a job that describe shows with our hyperparameters, channel and instance', async () => {
    const sm = backend();
    expect(await sm.submit(spec('pricesense-run-1-abc'))).toEqual({ jobName: 'pricesense-run-1-abc' });
    const job = await sm.describe('pricesense-run-1-abc');
    // moto completes jobs at once and invents the artifact location under the output path.
    expect(job).toMatchObject({ jobName: 'pricesense-run-1-abc', status: 'Completed', instanceType: 'ml.m5.large', modelArtifactsS3Uri: 's3://bucket/runs/run123/sagemaker/pricesense-run-1-abc/output/model.tar.gz' });
    expect(job.hyperparameters).toEqual({ algorithm: 'gbdt', params: '{"nEstimators":10}', seed: '7', run_id: 'run123', dataset_version_id: 'v1' });
    expect(job.inputChannels).toEqual([{ name: 'train', s3Uri: 's3://bucket/datasets/d1/v1/curated/rows/', contentType: 'application/x-parquet' }]);
    expect(job.startTime).toBeInstanceOf(Date);
    // moto replaces metric definitions and final metrics with its own stubs: what we sent is checked where it is built.
    expect(job.metricDefinitions.map((m) => m.name)).not.toContain('accuracy');
    expect(job.finalMetrics).toEqual([{ name: 'train:progress', value: 100 }]);
    expect(METRIC_DEFINITIONS.map((m) => m.Name)).toEqual(['accuracy', 'macro_f1', 'weighted_f1', 'log_loss', 'train_loss', 'validation_loss']);
  });

  it('submits Managed Spot jobs when asked, waiting at most twice the time limit; on-demand otherwise', async () => {
    const spot = createSageMakerBackend({ region: REGION, endpoint: motoServer().endpoint, credentials, roleArn: ROLE, imageUri: IMAGE, spot: true });
    await spot.submit(spec('pricesense-run-spot-abc'));
    const raw = await spot.client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'pricesense-run-spot-abc' }));
    expect(raw.EnableManagedSpotTraining).toBe(true);
    expect(raw.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 });
    expect(await spot.describe('pricesense-run-spot-abc')).toMatchObject({ spot: true });
    // Run logs name the backend by `where`: a Spot backend says so.
    expect(spot.where).toMatch(/^SageMaker in ap-southeast-1 at http:\/\/127\.0\.0\.1:\d+ \(Managed Spot\)$/);
    expect(backend().where).not.toMatch(/Spot/);

    await backend().submit(spec('pricesense-run-ondemand-abc'));
    const onDemand = await spot.client.send(new DescribeTrainingJobCommand({ TrainingJobName: 'pricesense-run-ondemand-abc' }));
    expect(onDemand.EnableManagedSpotTraining ?? false).toBe(false);
    expect(onDemand.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(await backend().describe('pricesense-run-ondemand-abc')).toMatchObject({ spot: false });
    // SageMaker's ceiling on the wait: 28 days.
    expect(stoppingCondition(2_000_000, true)).toEqual({ MaxRuntimeInSeconds: 2_000_000, MaxWaitTimeInSeconds: 2_419_200 });
  });

  it('reports an unknown job as not found, and an invalid request as refused', async () => {
    const sm = backend();
    await sm.submit(spec('pricesense-run-2-abc'));
    await expect(sm.describe('pricesense-run-2-abc')).resolves.toMatchObject({ status: 'Completed' });
    await expect(sm.describe('pricesense-run-404')).rejects.toBeInstanceOf(TrainingJobNotFoundError);
  });

  it('answers stop with stopped:false and says why, since moto has no StopTrainingJob', async () => {
    const sm = backend();
    await sm.submit(spec('pricesense-run-3-abc'));
    const result = await sm.stop('pricesense-run-3-abc');
    expect(result.stopped).toBe(false);
    expect(result.message).toMatch(/cannot stop training jobs \(StopTrainingJob answered .*HTTP 5\d\d\); training job pricesense-run-3-abc was not stopped/);
    expect(result.message).toContain('pricesense-run-3-abc');
  });

  it('says clearly when the API cannot be reached', async () => {
    const sm = createSageMakerBackend({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials, roleArn: ROLE, imageUri: IMAGE });
    const error = await sm.submit(spec('pricesense-run-4-abc')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingBackendError);
    expect((error as TrainingBackendError).unreachable).toBe(true);
    expect((error as Error).message).toMatch(/Could not reach SageMaker in ap-southeast-1 at http:\/\/127.0.0.1:9 to start training job/);
    expect(await sm.stop('x')).toMatchObject({ stopped: false, message: expect.stringMatching(/Could not reach .* it was not stopped/) });
  });
});
