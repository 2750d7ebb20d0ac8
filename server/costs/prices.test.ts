import { describe, expect, it } from 'vitest';
import { SAGEMAKER_TRAINING_PER_HOUR, trainingCostUsd } from './prices';

describe('trainingCostUsd', () => {
  it('bills per second with a one-minute minimum, at the instance price', () => {
    const perHour = SAGEMAKER_TRAINING_PER_HOUR['ml.m5.large']!;
    expect(trainingCostUsd('ml.m5.large', 3_600_000)).toBeCloseTo(perHour, 6);
    expect(trainingCostUsd('ml.m5.large', 1_000)).toBeCloseTo(perHour / 60, 6);
    expect(trainingCostUsd('ml.m5.large', 90_000)).toBeCloseTo((perHour * 90) / 3600, 6);
  });
  it('is unknown (null) for an instance type without a price', () => {
    expect(trainingCostUsd('ml.p99.huge', 60_000)).toBeNull();
  });
});
