import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('inference service configuration', () => {
  it('has working defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 8080, host: '127.0.0.1', deployment: 'production', publicUrl: 'http://127.0.0.1:8080', pollMs: 2000, maxBatch: 100,
      bodyLimitBytes: 1_048_576, telemetryFlushMs: 5000, serviceVersion: 'dev', logLevel: 'info',
      storage: { backend: 'local', dir: path.resolve('.data/storage') },
    });
    expect(config.instanceId).toMatch(/^[A-Za-z0-9._-]+-\d+-[0-9a-f]{6}$/);
  });

  it('reads every setting, and finds storage under MLOPS_DATA_DIR like the control plane', () => {
    const config = parseConfig({
      INFERENCE_PORT: '9000', INFERENCE_HOST: '0.0.0.0', INFERENCE_DEPLOYMENT: 'eu-canary', INFERENCE_PUBLIC_URL: 'http://10.1.2.3:9000',
      INFERENCE_POLL_MS: '500', INFERENCE_MAX_BATCH: '250', INFERENCE_BODY_LIMIT_BYTES: '2097152', INFERENCE_TELEMETRY_FLUSH_MS: '1000',
      INFERENCE_INSTANCE_ID: 'pod-abc', SERVICE_VERSION: '1.4.0', LOG_LEVEL: 'warn', MLOPS_DATA_DIR: '/var/mlops',
    });
    expect(config).toMatchObject({
      port: 9000, host: '0.0.0.0', deployment: 'eu-canary', publicUrl: 'http://10.1.2.3:9000', pollMs: 500, maxBatch: 250, bodyLimitBytes: 2_097_152,
      telemetryFlushMs: 1000, instanceId: 'pod-abc', serviceVersion: '1.4.0', logLevel: 'warn', storage: { backend: 'local', dir: '/var/mlops/storage' },
    });
    expect(parseConfig({ STORAGE_DIR: 'x/y', MLOPS_DATA_DIR: '/var/mlops' }).storage).toEqual({ backend: 'local', dir: path.resolve('x/y') });
    expect(parseConfig({ STORAGE_BACKEND: 's3', S3_BUCKET: 'models', S3_PREFIX: 'prod/', S3_ENDPOINT: 'http://127.0.0.1:5000', S3_FORCE_PATH_STYLE: 'true', AWS_REGION: 'eu-west-1' }).storage)
      .toEqual({ backend: 's3', bucket: 'models', prefix: 'prod/', endpoint: 'http://127.0.0.1:5000', forcePathStyle: true, region: 'eu-west-1' });
  });

  it('names each bad variable with what it got, all at once', () => {
    expect(problems({ INFERENCE_PORT: 'eighty', INFERENCE_MAX_BATCH: '0', INFERENCE_DEPLOYMENT: 'Prod!', LOG_LEVEL: 'loud' })).toEqual([
      'INFERENCE_PORT must be a port number (1–65535) (got "eighty")',
      'INFERENCE_DEPLOYMENT must be a deployment name: lower-case letters, digits and dashes, starting with a letter (e.g. production) (got "Prod!")',
      'INFERENCE_MAX_BATCH must be at least 1 (got "0")',
      expect.stringMatching(/^LOG_LEVEL .*\(got "loud"\)$/),
    ]);
    expect(problems({ INFERENCE_PORT: '70000' })).toEqual(['INFERENCE_PORT must be a port number (1–65535) (got "70000")']);
    expect(problems({ INFERENCE_POLL_MS: '1.5' })).toEqual(['INFERENCE_POLL_MS must be a whole number of milliseconds (got "1.5")']);
    expect(problems({ INFERENCE_PUBLIC_URL: 'somewhere' })[0]).toMatch(/^INFERENCE_PUBLIC_URL must be a URL/);
    expect(problems({ STORAGE_BACKEND: 's3' })).toEqual(['S3_BUCKET is required when STORAGE_BACKEND=s3']);
    expect(problems({ S3_FORCE_PATH_STYLE: 'maybe' })).toEqual(['S3_FORCE_PATH_STYLE must be true or false (got "maybe")']);
    expect(() => parseConfig({ INFERENCE_PORT: 'x' })).toThrow(/^Invalid inference service configuration:\n {2}- INFERENCE_PORT/);
  });

  it('runs one worker process per usable core unless INFERENCE_WORKERS says otherwise', () => {
    expect(parseConfig({}, () => 4).workers).toBe(4);
    expect(parseConfig({ INFERENCE_WORKERS: 'auto' }, () => 3).workers).toBe(3);
    expect(parseConfig({ INFERENCE_WORKERS: '1' }, () => 4).workers).toBe(1);
    expect(problems({ INFERENCE_WORKERS: 'many' })).toEqual(['INFERENCE_WORKERS must be "auto" or a whole number of processes (1–64) (got "many")']);
    expect(problems({ INFERENCE_WORKERS: '0' })).toEqual(['INFERENCE_WORKERS must be at least 1 (got "0")']);
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ INFERENCE_PORT: '', STORAGE_BACKEND: '' })).toMatchObject({ port: 8080, storage: { backend: 'local' } });
  });
});
