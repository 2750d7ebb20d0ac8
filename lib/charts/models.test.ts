import { describe, expect, it } from 'vitest';
import { deltaTone, formatDelta, gateSummary, modelTimeline } from './models';

describe('gateSummary', () => {
  it('counts passes and names the failing gates', () => {
    expect(gateSummary([{ gate: 'accuracy', label: 'Accuracy', passed: true }, { gate: 'precision_LA', label: 'Precision LA', passed: false }])).toEqual({ total: 2, passed: 1, failed: ['Precision LA'], allPassed: false });
    expect(gateSummary([{ gate: 'accuracy', label: 'Accuracy', passed: true }]).allPassed).toBe(true);
    // No gates recorded is not "all passed".
    expect(gateSummary(null)).toEqual({ total: 0, passed: 0, failed: [], allPassed: false });
  });
});

describe('modelTimeline', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, s));

  it('merges approval transitions and deployment windows, oldest first', () => {
    const entries = modelTimeline(
      [
        { id: '2', fromStatus: 'PendingManualApproval', toStatus: 'Approved', actorLabel: 'ann@x (approver)', comment: 'ok\nOverride: demo', isOverride: true, at: at(10) },
        { id: '1', fromStatus: null, toStatus: 'PendingManualApproval', actorLabel: 'eng@x (ml_engineer)', comment: null, isOverride: false, at: at(0) },
      ],
      [
        { id: 'b', action: 'rollback', actorLabel: 'eng@x', comment: 'v5 regressed', startedAt: at(40), endedAt: null, deployment: { name: 'production' } },
        { id: 'a', action: 'deploy', actorLabel: 'eng@x', comment: null, startedAt: at(20), endedAt: at(30), deployment: { name: 'production' } },
      ],
    );
    expect(entries.map((e) => e.title)).toEqual(['Registered', 'Approved with a KPI gate override', 'Deployed to production', 'Stopped serving production', 'production rolled back to this version']);
    expect(entries[1]!.isOverride).toBe(true);
    expect(entries[4]!.comment).toBe('v5 regressed');
    expect(entries[3]!.actor).toBeNull();
  });

  it('keeps the natural order of steps taken in the same instant', () => {
    const entries = modelTimeline(
      [
        { id: '2', fromStatus: 'PendingManualApproval', toStatus: 'Rejected', actorLabel: 'a', comment: 'no', isOverride: false, at: at(0) },
        { id: '1', fromStatus: null, toStatus: 'PendingManualApproval', actorLabel: 'a', comment: null, isOverride: false, at: at(0) },
      ],
      [],
    );
    expect(entries.map((e) => e.kind)).toEqual(['registered', 'rejected']);
  });
});

describe('metric deltas', () => {
  it('calls a change better or worse by the metric’s direction', () => {
    expect(deltaTone(0.01, true)).toBe('better');
    expect(deltaTone(0.01, false)).toBe('worse');
    expect(deltaTone(-0.2, false)).toBe('better');
    expect(deltaTone(0.00001, true)).toBe('same');
    expect(deltaTone(null, true)).toBeNull();
  });

  it('prints a signed delta with a real minus sign', () => {
    expect(formatDelta(0.01234)).toBe('+0.0123');
    expect(formatDelta(-0.004)).toBe('−0.0040');
    expect(formatDelta(0)).toBe('±0');
    expect(formatDelta(null)).toBe('—');
  });
});
