import { DescribeModelPackageCommand, DescribeModelPackageGroupCommand, ListModelPackagesCommand } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '@/server/env';
import { MOTO_CREDENTIALS, sharedMotoServer } from '@/test/moto';
import { createRegistryMirror } from './index';
import { RegistryMirrorError, type MirrorVersion } from './port';
import { createSageMakerRegistryMirror, modelPackageGroupName } from './sagemaker';

// What moto 5.2.1 does differently from SageMaker, and how these tests stand on it:
// - it validates almost nothing in CreateModelPackage (no InferenceSpecification
//   requirement, no metadata or description patterns, no limits): the adapter
//   enforces SageMaker's documented limits itself, and those checks are tested here;
// - UpdateModelPackage replaces the customer metadata and approval description
//   with what the call carries (SageMaker keeps what is not sent): the adapter
//   re-sends them, so "metrics survive an approval" is checked against moto's stricter behaviour;
// - CreateModelPackageGroup silently replaces an existing group (SageMaker refuses):
//   the adapter describes the group first, so this never matters;
// - it ignores ClientToken, Domain/Task and ModelMetrics beyond echoing them.

const REGION = 'ap-southeast-1';
const credentials = MOTO_CREDENTIALS;
const IMAGE = '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/pricesense-inference:test';

const motoServer = sharedMotoServer({ beforeAll, afterAll, beforeEach });

const mirror = (extra: { groupName?: string; imageUri?: string | null } = {}) =>
  createSageMakerRegistryMirror({ region: REGION, endpoint: motoServer().endpoint, credentials, imageUri: IMAGE, ...extra });

const version = (id: string, n: number, extra: Partial<MirrorVersion> = {}): MirrorVersion => ({
  modelVersionId: id, modelName: 'price-sensitivity', version: n, artifactUri: `s3://pricesense-artifacts/runs/run${n}/model.json`,
  sha256: 'a'.repeat(64), algorithm: 'gbdt', datasetVersionId: 'dsv1', datasetHash: 'b'.repeat(64),
  metrics: { accuracy: 0.9812, macro_f1: 0.9734, weighted_f1: 0.9801, precision_LA: 0.97, recall_LA: 0.96, f1_LA: 0.965 },
  status: 'PendingManualApproval', description: `price-sensitivity v${n} from run #${n} (gbdt)`,
  imageUri: null, metricsReportUri: `s3://pricesense-artifacts/models/price-sensitivity/v${n}/metrics.json`, codeVersion: 'abc1234',
  ...extra,
});

async function caught(promise: Promise<unknown>): Promise<RegistryMirrorError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryMirrorError);
  return error as RegistryMirrorError;
}

describe('SageMaker registry mirror (moto)', () => {
  it('creates the group and a package carrying the metrics, ids, model and PendingManualApproval', async () => {
    const m = mirror();
    const { arn, created } = await m.registerVersion(version('mv1', 1));
    expect(created).toBe(true);
    expect(arn).toBe('arn:aws:sagemaker:ap-southeast-1:123456789012:model-package/price-sensitivity/1');
    await expect(m.client.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: 'price-sensitivity' }))).resolves.toMatchObject({ ModelPackageGroupName: 'price-sensitivity' });

    expect(await m.describeVersion(arn)).toEqual({
      arn, groupName: 'price-sensitivity', packageVersion: 1, status: 'PendingManualApproval', approvalDescription: null,
      metrics: { accuracy: 0.9812, macro_f1: 0.9734, weighted_f1: 0.9801, precision_LA: 0.97, recall_LA: 0.96, f1_LA: 0.965 },
      modelVersionId: 'mv1', createdAt: expect.any(Date),
    });
    const raw = await m.client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(raw.CustomerMetadataProperties).toMatchObject({
      'pricesense:modelVersionId': 'mv1', 'pricesense:sha256': 'a'.repeat(64), 'pricesense:datasetVersionId': 'dsv1',
      'pricesense:datasetHash': 'b'.repeat(64), 'pricesense:algorithm': 'gbdt', accuracy: '0.9812', macro_f1: '0.9734',
    });
    expect(raw.ModelPackageDescription).toBe('[mv1] price-sensitivity v1 from run #1 (gbdt)');
    expect(raw.InferenceSpecification).toEqual({
      Containers: [{ Image: IMAGE, ModelDataSource: { S3DataSource: { S3Uri: 's3://pricesense-artifacts/runs/run1/model.json', S3DataType: 'S3Object', CompressionType: 'None' } } }],
      SupportedContentTypes: ['application/json'], SupportedResponseMIMETypes: ['application/json'],
    });
    expect(raw.ModelMetrics).toEqual({ ModelQuality: { Statistics: { ContentType: 'application/json', S3Uri: 's3://pricesense-artifacts/models/price-sensitivity/v1/metrics.json' } } });
    expect(raw.MetadataProperties).toEqual({ CommitId: 'abc1234', GeneratedBy: 'pricesense control plane' });
  });

  it('returns the existing package when the same model version is registered again', async () => {
    const m = mirror();
    const first = await m.registerVersion(version('mv1', 1));
    const again = await m.registerVersion(version('mv1', 1, { status: 'Approved' }));
    expect(again).toEqual({ arn: first.arn, created: false });
    const list = await m.client.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'price-sensitivity' }));
    expect(list.ModelPackageSummaryList).toHaveLength(1);
    // An existing package keeps its status: changing it is setApprovalStatus's job.
    expect((await m.describeVersion(first.arn)).status).toBe('PendingManualApproval');
  });

  it('approves and rejects with the comment, keeping the metrics', async () => {
    const m = mirror();
    const { arn } = await m.registerVersion(version('mv1', 1));
    await m.setApprovalStatus(arn, 'Approved', 'Beats v0 on macro F1; approved by ana@example.com');
    expect(await m.describeVersion(arn)).toMatchObject({ status: 'Approved', approvalDescription: 'Beats v0 on macro F1; approved by ana@example.com', modelVersionId: 'mv1', metrics: { accuracy: 0.9812, macro_f1: 0.9734 } });
    await m.setApprovalStatus(arn, 'Rejected', 'Drift on store region 3\n');
    expect(await m.describeVersion(arn)).toMatchObject({ status: 'Rejected', approvalDescription: 'Drift on store region 3', metrics: { f1_LA: 0.965 } });
    // No comment: the previous description stays, as in SageMaker.
    await m.setApprovalStatus(arn, 'PendingManualApproval', null);
    expect(await m.describeVersion(arn)).toMatchObject({ status: 'PendingManualApproval', approvalDescription: 'Drift on store region 3' });
  });

  it('numbers a second version 2 in the same group, and still finds the first by its id', async () => {
    const m = mirror();
    const one = await m.registerVersion(version('mv1', 1));
    const two = await m.registerVersion(version('mv2', 2, { artifactUri: 's3://pricesense-artifacts/runs/run2/output/model.tar.gz', status: 'Approved' }));
    expect(two.created).toBe(true);
    expect(two.arn).not.toBe(one.arn);
    expect(await m.describeVersion(two.arn)).toMatchObject({ packageVersion: 2, status: 'Approved', modelVersionId: 'mv2', groupName: 'price-sensitivity' });
    const raw = await m.client.send(new DescribeModelPackageCommand({ ModelPackageName: two.arn }));
    expect(raw.InferenceSpecification?.Containers).toEqual([{ Image: IMAGE, ModelDataUrl: 's3://pricesense-artifacts/runs/run2/output/model.tar.gz' }]);
    expect(await m.registerVersion(version('mv1', 1))).toEqual({ arn: one.arn, created: false });
  });

  it('names groups after the model, or uses the configured group for every model', async () => {
    expect(modelPackageGroupName('price-sensitivity')).toBe('price-sensitivity');
    expect(modelPackageGroupName('  Price Sensitivity (EU)_v2 ')).toBe('Price-Sensitivity-EU-v2');
    expect(modelPackageGroupName(`${'x'.repeat(62)}-y`)).toBe('x'.repeat(62));
    expect(() => modelPackageGroupName('価格')).toThrow(/no letters or digits .*SAGEMAKER_MODEL_PACKAGE_GROUP/);

    const perModel = await mirror().registerVersion(version('mv9', 1, { modelName: 'Price Sensitivity (EU)' }));
    expect((await mirror().describeVersion(perModel.arn)).groupName).toBe('Price-Sensitivity-EU');
    const fixed = mirror({ groupName: 'pricesense-staging' });
    expect(fixed.where).toBe(`SageMaker Model Package Group pricesense-staging in ap-southeast-1 at ${motoServer().endpoint}`);
    const { arn } = await fixed.registerVersion(version('mv10', 1, { modelName: 'anything at all' }));
    expect(await fixed.describeVersion(arn)).toMatchObject({ groupName: 'pricesense-staging', packageVersion: 1 });
    expect(() => mirror({ groupName: 'bad_name' })).toThrow(/not a SageMaker Model Package Group name/);
  });

  it('keeps what SageMaker accepts: no container without an image, clean descriptions, at most 50 metadata entries', async () => {
    const m = mirror({ imageUri: null });
    const metrics: MirrorVersion['metrics'] = { accuracy: 0.9, macro_f1: 0.8, log_loss: Number.NaN, 'odd name,%': 0.5 };
    for (let i = 0; i < 60; i++) metrics[`m${i}`] = i / 100;
    const { arn } = await m.registerVersion(version('mv1', 1, { metrics, description: 'line one\nline two\t\tend', metricsReportUri: null, codeVersion: null }));
    const raw = await m.client.send(new DescribeModelPackageCommand({ ModelPackageName: arn }));
    expect(raw.InferenceSpecification).toBeUndefined();
    expect(raw.ModelMetrics).toBeUndefined();
    expect(raw.ModelPackageDescription).toBe('[mv1] line one line two end');
    const keys = Object.keys(raw.CustomerMetadataProperties ?? {});
    expect(keys).toHaveLength(50);
    expect(keys).toEqual(expect.arrayContaining(['accuracy', 'macro_f1', 'odd name__', 'm0', 'm41', 'pricesense:modelVersionId']));
    expect(keys).not.toContain('log_loss');
    expect(keys).not.toContain('m42');

    const refused = await caught(m.registerVersion(version('mv2', 2, { datasetHash: 'sha256#abc' })));
    expect(refused.message).toMatch(/pricesense:datasetHash "sha256#abc" is not valid SageMaker metadata/);
    const list = await m.client.send(new ListModelPackagesCommand({ ModelPackageGroupName: 'price-sensitivity' }));
    expect(list.ModelPackageSummaryList).toHaveLength(1);
  });

  it('turns an unknown ARN into a RegistryMirrorError naming the operation', async () => {
    const m = mirror();
    await m.registerVersion(version('mv1', 1));
    const bad = 'arn:aws:sagemaker:ap-southeast-1:123456789012:model-package/price-sensitivity/99';
    const describeError = await caught(m.describeVersion(bad));
    expect(describeError).toMatchObject({ name: 'RegistryMirrorError', operation: 'DescribeModelPackage', reason: 'not-found' });
    expect(describeError.message).toMatch(/^SageMaker DescribeModelPackage failed for model package arn:aws:sagemaker:.*\/99: ValidationException \(HTTP 400\): Model package .* not found/);
    const updateError = await caught(m.setApprovalStatus(bad, 'Approved', 'ok'));
    expect(updateError).toMatchObject({ operation: 'DescribeModelPackage', reason: 'not-found' });
    expect(updateError.message).toMatch(/before setting its status to Approved/);
  });

  it('says which operation could not reach the API, without the SDK error', async () => {
    const m = createSageMakerRegistryMirror({ region: REGION, endpoint: 'http://127.0.0.1:9', credentials, imageUri: IMAGE });
    const error = await caught(m.registerVersion(version('mv1', 1)));
    expect(error).toMatchObject({ name: 'RegistryMirrorError', operation: 'DescribeModelPackageGroup', reason: 'unreachable' });
    expect(error.message).toBe('SageMaker DescribeModelPackageGroup failed for group price-sensitivity: could not reach http://127.0.0.1:9 (ECONNREFUSED).');
    expect((await caught(m.describeVersion('arn:aws:sagemaker:ap-southeast-1:123456789012:model-package/x/1'))).message).toMatch(/^SageMaker DescribeModelPackage failed .* could not reach/);
  });
});

describe('createRegistryMirror', () => {
  const aws = { STORAGE_BACKEND: 's3', S3_BUCKET: 'pricesense-artifacts', SAGEMAKER_ENDPOINT: 'http://127.0.0.1:9' };

  it('mirrors by default only when training runs on SageMaker', () => {
    expect(createRegistryMirror(parseEnv({}))).toBeNull();
    const training = { ...aws, TRAINING_BACKEND: 'sagemaker', SAGEMAKER_ROLE_ARN: 'arn:aws:iam::123456789012:role/sm', TRAINER_IMAGE_URI: IMAGE };
    expect(createRegistryMirror(parseEnv(training))?.where).toBe('SageMaker Model Package Groups (one per model name) in ap-southeast-1 at http://127.0.0.1:9');
    expect(createRegistryMirror(parseEnv({ ...training, MODEL_REGISTRY_MIRROR: 'none' }))).toBeNull();
    expect(createRegistryMirror(parseEnv({ ...aws, MODEL_REGISTRY_MIRROR: 'sagemaker', INFERENCE_IMAGE_URI: IMAGE, SAGEMAKER_MODEL_PACKAGE_GROUP: 'pricesense-prod' }))?.where)
      .toBe('SageMaker Model Package Group pricesense-prod in ap-southeast-1 at http://127.0.0.1:9');
  });

  it('refuses a mirror without S3 storage or an image, and a bad group name', () => {
    expect(() => parseEnv({ MODEL_REGISTRY_MIRROR: 'sagemaker' })).toThrow(/STORAGE_BACKEND=s3 is required when MODEL_REGISTRY_MIRROR=sagemaker[\s\S]*INFERENCE_IMAGE_URI \(or TRAINER_IMAGE_URI\) is required/);
    expect(() => parseEnv({ MODEL_REGISTRY_MIRROR: 'aws' })).toThrow(/MODEL_REGISTRY_MIRROR must be sagemaker or none/);
    expect(() => parseEnv({ SAGEMAKER_MODEL_PACKAGE_GROUP: 'price_sensitivity' })).toThrow(/SAGEMAKER_MODEL_PACKAGE_GROUP must be a SageMaker model package group name/);
  });
});
