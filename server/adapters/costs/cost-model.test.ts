import { describe, expect, it } from 'vitest';
import { STACKS } from '@/lib/infra-config';
import { estimateStack } from '@/lib/infra-estimate';
import { PRICES } from '@/server/costs/prices';
import { createCostModel, priceDay, RESPONSE_BYTES } from './cost-model';
import type { DayUsage } from './port';

const dev = estimateStack(STACKS.dev, PRICES);
const empty: DayUsage = { day: '2026-11-24', hoursCovered: 24, daysInMonth: 30, runs: [], inference: [], storage: null, predictions: [] };
const only = (usage: Partial<DayUsage>, component: string) => priceDay({ ...empty, ...usage }).filter((l) => l.component === component);

describe('the cost model', () => {
  it('prices a run at SageMaker rates for its instance, per second with a one-minute minimum', () => {
    const lines = only({ runs: [
      { runId: 'r1', runNumber: 1, modelVersionId: 'mv1', instanceType: 'ml.m5.large', durationMs: 1_800_000, recordedCostUsd: null },
      { runId: 'r2', runNumber: 2, modelVersionId: null, instanceType: 'ml.m5.xlarge', durationMs: 10_000, recordedCostUsd: null },
    ] }, 'training');
    expect(lines.map((l) => [l.runId, l.modelVersionId, l.amountUsd])).toEqual([['r1', 'mv1', 0.067], ['r2', null, 0.004483]]);
    expect(lines[0]).toMatchObject({ usageQuantity: 0.5, usageUnit: 'instance-hours', details: { runNumber: 1, instanceType: 'ml.m5.large', durationMs: 1_800_000 } });
  });

  it("keeps a run's recorded cost (SageMaker's billable seconds) and prices unknown instances as the local equivalent", () => {
    const lines = only({ runs: [
      { runId: 'r1', runNumber: 1, modelVersionId: null, instanceType: 'ml.m5.large', durationMs: 3_600_000, recordedCostUsd: 0.1 },
      { runId: 'r2', runNumber: 2, modelVersionId: null, instanceType: 'ml.g5.mystery', durationMs: 3_600_000, recordedCostUsd: null },
    ] }, 'training');
    expect(lines.map((l) => l.amountUsd)).toEqual([0.1, 0.134]);
    expect(lines[1]!.details).toMatchObject({ pricedAs: 'ml.m5.large' });
  });

  it("prices inference instance-hours as a replica's share of a dev node", () => {
    const [line] = only({ inference: [{ deploymentId: 'd1', modelVersionId: 'mv1', instanceHours: 10, details: { intervals: [] } }] }, 'inference');
    expect(line).toMatchObject({ deploymentId: 'd1', modelVersionId: 'mv1', usageQuantity: 10, usageUnit: 'instance-hours', amountUsd: 0.132 });
    expect(line!.details).toMatchObject({ node: 't3.medium', nodeShare: 0.25, stack: 'dev', intervals: [] });
  });

  it('prices stored bytes per GB-month for the hours covered', () => {
    const storage = { bytes: 10 * 1024 ** 3, objects: 3, measuredAt: '2026-11-24T00:05:00.000Z' };
    expect(only({ storage }, 'storage')[0]).toMatchObject({ amountUsd: Math.round(((10 * 0.025) / 30) * 1e6) / 1e6, usageQuantity: 10, usageUnit: 'GB' });
    expect(only({ storage, hoursCovered: 12 }, 'storage')[0]!.amountUsd).toBeCloseTo((10 * 0.025) / 60, 6);
    expect(only({ storage: null }, 'storage')).toEqual([]);
  });

  it('estimates response bytes from requests and baskets answered, priced as data out', () => {
    const [line] = only({ predictions: [{ deploymentId: 'd1', modelVersionId: 'mv1', count: 1_000_000, requests: 10_000 }] }, 'data_transfer');
    const bytes = 10_000 * RESPONSE_BYTES.perRequest + 1_000_000 * RESPONSE_BYTES.perPrediction;
    expect(line).toMatchObject({ deploymentId: 'd1', modelVersionId: 'mv1', usageUnit: 'GB', details: { predictions: 1_000_000, requests: 10_000, estimatedBytes: bytes } });
    expect(line!.amountUsd).toBeCloseTo((bytes / 1024 ** 3) * 0.12, 6);
  });

  it('charges the always-on part of the dev stack for each hour covered, and nothing for a day before installation', () => {
    expect(only({}, 'control_plane')[0]).toMatchObject({ amountUsd: Math.round(dev.controlPlanePerHourUsd * 24 * 1e6) / 1e6, usageQuantity: 24, usageUnit: 'hours' });
    expect(only({ hoursCovered: 6 }, 'control_plane')[0]!.amountUsd).toBeCloseTo(dev.controlPlanePerHourUsd * 6, 5);
    expect(priceDay({ ...empty, hoursCovered: 0, storage: { bytes: 1e9, objects: 1, measuredAt: '' } })).toEqual([]);
  });

  it('is the same for the same usage, as a source too', async () => {
    const usage: DayUsage = { ...empty, runs: [{ runId: 'r1', runNumber: 1, modelVersionId: null, instanceType: 'ml.m5.large', durationMs: 60_000, recordedCostUsd: null }] };
    const model = createCostModel();
    expect(model.kind).toBe('cost_model');
    expect(model.refreshMs).toBe(0);
    expect(await model.dailyCosts([usage])).toEqual(priceDay(usage));
    expect(await model.dailyCosts([usage])).toEqual(await model.dailyCosts([usage]));
  });
});
