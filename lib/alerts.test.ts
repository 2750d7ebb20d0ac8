import { describe, expect, it } from 'vitest';
import { compare, describeCondition, describeEvaluation, formatAlertValue, formatWindow, thresholdFromInput, thresholdToInput } from './alerts';

describe('alert kinds', () => {
  it('compares with each comparator', () => {
    expect([compare(2, '>', 1), compare(1, '>', 1), compare(1, '>=', 1), compare(0.7, '<', 0.75), compare(0.75, '<', 0.75), compare(0.75, '<=', 0.75)]).toEqual([true, false, true, true, false, true]);
  });

  it('reads values and conditions in their units', () => {
    expect(formatAlertValue('latency_p95', 212.4)).toBe('212 ms');
    expect(formatAlertValue('latency_p95', 4.851)).toBe('4.85 ms');
    expect(formatAlertValue('error_rate', 0.0125)).toBe('1.25%');
    expect(formatAlertValue('drift_psi', 0.31)).toBe('PSI 0.310');
    expect(formatAlertValue('cost_forecast', 1.124)).toBe('112% of budget');
    expect(formatAlertValue('live_accuracy', null)).toBe('—');
    expect(describeCondition('live_accuracy', '<', 0.75, 1440)).toBe('Live accuracy < 75% over 24 h');
    expect(describeCondition('cost_forecast', '>', 1, 60)).toBe('Cost forecast > 100% of budget this month');
    expect([formatWindow(15), formatWindow(60), formatWindow(2880)]).toEqual(['15 min', '1 h', '2 days']);
  });

  it('takes ratios as percent in forms and stores them as shares', () => {
    expect(thresholdToInput('error_rate', 0.01)).toBe(1);
    expect(thresholdFromInput('error_rate', 2.5)).toBe(0.025);
    expect(thresholdToInput('latency_p95', 200)).toBe(200);
    expect(thresholdFromInput('drift_psi', 0.25)).toBe(0.25);
  });
});

describe('describeEvaluation', () => {
  const none = { evaluated: 0, fired: 0, resolved: 0, noData: 0, failed: 0, notifyFailed: 0 };
  it('says what an on-demand evaluation changed, and what it could not judge', () => {
    expect(describeEvaluation({ ...none, evaluated: 5, fired: 1, noData: 2 })).toBe('Evaluated 5 rules: 1 fired, none resolved; 2 without enough data.');
    expect(describeEvaluation({ ...none, evaluated: 1, resolved: 1 })).toBe('Evaluated 1 rule: none fired, 1 resolved.');
    expect(describeEvaluation({ ...none, evaluated: 4, failed: 1, notifyFailed: 2 })).toBe('Evaluated 4 rules: none fired, none resolved; 1 rule could not be evaluated, 2 webhooks failed.');
    expect(describeEvaluation(none)).toBe('Evaluated 0 rules: none fired, none resolved.');
  });
});
