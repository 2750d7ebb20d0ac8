import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv, sagemakerSettings } from './env';

describe('configuration from the environment', () => {
  it('has working defaults: embedded database, local storage, ports 3000 and 8080', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, INFERENCE_PORT: 8080, STORAGE_BACKEND: 'local', MLOPS_DATA_DIR: '.data', HOST: '127.0.0.1' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable and the problem, without echoing secrets', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://user:hunter2@db/x', STORAGE_BACKEND: 's3', AUTH_SECRET: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    expect(message).toMatch(/PORT must be a port number \(1–65535\) \(got "eighty"\)/);
    expect(message).toMatch(/DATABASE_URL must be a postgresql:\/\/ connection URL/);
    expect(message).toMatch(/S3_BUCKET is required when STORAGE_BACKEND=s3/);
    expect(message).toMatch(/AUTH_SECRET must be at least 32 characters/);
    expect(message).not.toContain('hunter2');
  });

  it('treats empty strings as unset and parses booleans', () => {
    const env = parseEnv({ DATABASE_URL: '', S3_FORCE_PATH_STYLE: 'true' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.S3_FORCE_PATH_STYLE).toBe(true);
  });

  it('SageMaker training needs a role, an image and S3 storage, and says which is missing', () => {
    expect(() => parseEnv({ TRAINING_BACKEND: 'sagemaker' })).toThrow(/SAGEMAKER_ROLE_ARN is required when TRAINING_BACKEND=sagemaker[\s\S]*TRAINER_IMAGE_URI is required[\s\S]*STORAGE_BACKEND=s3 is required/);
    expect(() => parseEnv({ SAGEMAKER_ROLE_ARN: 'my-role' })).toThrow(/SAGEMAKER_ROLE_ARN must be an IAM role ARN/);
    expect(() => parseEnv({ SAGEMAKER_INSTANCE_TYPE: 'm5.large' })).toThrow(/SAGEMAKER_INSTANCE_TYPE must be a SageMaker instance type/);
    expect(sagemakerSettings(parseEnv({}))).toBeNull();
    const raw = {
      TRAINING_BACKEND: 'sagemaker', SAGEMAKER_ROLE_ARN: 'arn:aws:iam::123456789012:role/trainer', TRAINER_IMAGE_URI: '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/trainer:1',
      STORAGE_BACKEND: 's3', S3_BUCKET: 'artifacts',
    };
    const env = parseEnv(raw);
    expect(sagemakerSettings(env)).toMatchObject({ roleArn: 'arn:aws:iam::123456789012:role/trainer', instanceType: 'ml.m5.large', maxRuntimeSeconds: 14_400, spot: false });
    expect(sagemakerSettings(parseEnv({ ...raw, SAGEMAKER_SPOT_TRAINING: 'true' }))).toMatchObject({ spot: true });
    expect(() => parseEnv({ SAGEMAKER_SPOT_TRAINING: 'spot' })).toThrow(/SAGEMAKER_SPOT_TRAINING/);
  });
});

