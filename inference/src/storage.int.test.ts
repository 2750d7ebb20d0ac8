import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from '../../test/moto';
import { buildApp } from './app';
import { instanceStatusKey } from './contract';
import { createS3Store, type ObjectStore } from './storage';
import { describeStore } from './testing/store-contract';
import { apiKey, manifest, publish, requestBaskets, storeModel, trainModel } from './testing/fixtures';

/** The S3 store against a real S3 API (moto): the SDK's 304 on an unchanged manifest, 404s, prefixes. */
const BUCKET = 'inference-store-test';
const REGION = 'ap-southeast-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let moto: MotoServer;
let raw: S3Client;
let n = 0;
const stores: ObjectStore[] = [];
const makeStore = (prefix = `t${n++}`) => {
  const store = createS3Store({ bucket: BUCKET, prefix, region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  moto = await startMoto();
  raw = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
  await raw.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: REGION } }));
});
afterAll(async () => {
  for (const s of stores) s.close?.();
  raw?.destroy();
  await moto?.stop();
});

describeStore('s3 (moto)', async () => makeStore());

describe('S3 store', () => {
  it('puts keys under the prefix, as the control plane does', async () => {
    const store = makeStore('/shared/root/');
    expect(store.root).toBe(`s3://${BUCKET}/shared/root`);
    await store.put('deployments/production/current.json', '{}');
    const res = await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'shared/root/deployments/production/current.json' }));
    expect(await res.Body!.transformToString()).toBe('{}');
  });

  it('serves a model deployed through S3 and reports back to S3', async () => {
    const store = makeStore('deploy');
    const key = apiKey('s3');
    const model = await storeModel(store, await trainModel(), 1);
    await publish(store, manifest(1, model, [key.key]));
    const app = buildApp({ store, instanceId: 's3-instance', pollMs: 60_000 });
    try {
      await app.ready();
      await app.inference.reload();
      const res = await app.inject({ method: 'POST', url: '/v1/predict', payload: { basket: requestBaskets(1)[0] }, headers: { authorization: key.header } });
      expect([res.statusCode, res.json().model.versionId]).toEqual([200, model.versionId]);
      const status = JSON.parse((await store.get(instanceStatusKey('production', 's3-instance')))!.toString());
      expect(status).toMatchObject({ state: 'serving', manifestRevision: 1 });
    } finally {
      await app.close();
    }
  });
});
