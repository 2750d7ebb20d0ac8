import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryPaths, runEntry, writeFailure } from './sagemaker-entry';

describe('trainer container entry', () => {
  it("uses SageMaker's /opt/ml layout unless the environment points elsewhere", () => {
    expect(entryPaths({})).toEqual({ configDir: '/opt/ml/input/config', trainDir: '/opt/ml/input/data/train', modelDir: '/opt/ml/model', outputDir: '/opt/ml/output' });
    expect(entryPaths({ SM_BASE_DIR: '/tmp/x', SM_CHANNEL_TRAIN: '/data' })).toEqual({ configDir: '/tmp/x/input/config', trainDir: '/data', modelDir: '/tmp/x/model', outputDir: '/tmp/x/output' });
  });

  it('writes the reason of bad hyperparameters to output/failure, where SageMaker reads FailureReason', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'entry-'));
    try {
      const paths = entryPaths({ SM_BASE_DIR: base });
      await fs.mkdir(paths.configDir, { recursive: true });
      await fs.writeFile(path.join(paths.configDir, 'hyperparameters.json'), JSON.stringify({ algorithm: 'gbdt', seed: 'x', dataset_version_id: 'v' }));
      const error = await runEntry(paths, () => undefined).catch((e: unknown) => e);
      expect(await writeFailure(paths, error)).toMatch(/^Invalid hyperparameters: seed must be a whole number ≥ 0; run_id/);
      expect(await fs.readFile(path.join(paths.outputDir, 'failure'), 'utf8')).toMatch(/^Invalid hyperparameters: seed/);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  });
});
