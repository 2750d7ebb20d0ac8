import type { CostComponentName, CostSourceName } from '@/lib/costs';

/**
 * Where the platform's dollars come from. Locally, the cost model prices the
 * usage the control plane measured with the AWS price table (what the workload
 * would cost on AWS); in AWS mode, Cost Explorer reads the bill. Chosen once at
 * start-up from COST_SOURCE and passed to services.
 *
 * Attribution (per run, per model version, per 1,000 predictions) always comes
 * from the cost model: the bill knows services and tags, not runs.
 */
export interface CostSourcePort {
  readonly kind: CostSourceName;
  /** Human-readable origin for the UI and logs ("AWS Cost Explorer, tag project=pricesense"). */
  readonly where: string;
  /**
   * How long a day's figures are kept before this source is asked again. Cost
   * Explorer charges per request and updates a few times a day; the model is free.
   */
  readonly refreshMs: number;
  /** Cost lines for each given day. Throws CostSourceError. */
  dailyCosts(days: DayUsage[]): Promise<CostLine[]>;
}

/** One amount for one day and component, attributed where the usage says (a run, a deployment, a model version). */
export type CostLine = {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  component: CostComponentName;
  amountUsd: number;
  usageQuantity?: number | null;
  usageUnit?: string | null;
  runId?: string | null;
  modelVersionId?: string | null;
  deploymentId?: string | null;
  details?: Record<string, unknown>;
};

/** What the control plane measured on one UTC day (the cost model prices it; Cost Explorer ignores it). */
export type DayUsage = {
  day: string;
  /** Hours of the day the platform existed (24 for a past day; fewer today and on the installation day). */
  hoursCovered: number;
  /** Days in the day's month (storage is billed per GB-month). */
  daysInMonth: number;
  /** Training runs that finished that day. */
  runs: { runId: string; runNumber: number; modelVersionId: string | null; instanceType: string; durationMs: number; recordedCostUsd: number | null }[];
  /** Inference instance-hours per deployment and the model version they served (null: none loaded). */
  inference: { deploymentId: string; modelVersionId: string | null; instanceHours: number; details?: Record<string, unknown> }[];
  /** Bytes in storage when measured that day, or null when not measured. */
  storage: { bytes: number; objects: number; measuredAt: string } | null;
  /** Baskets answered (`count`) in how many requests (a batch is one), per deployment and model version. */
  predictions: { deploymentId: string; modelVersionId: string | null; count: number; requests: number }[];
};

/**
 * The source refused or could not be reached. The message names the operation
 * and carries the service's own words ("Cost Explorer GetCostAndUsage failed:
 * AccessDeniedException (HTTP 400): … — the role needs ce:GetCostAndUsage").
 */
export class CostSourceError extends Error {
  constructor(
    message: string,
    public readonly operation: string,
    public readonly reason: 'unreachable' | 'refused' = 'refused',
  ) {
    super(message);
    this.name = 'CostSourceError';
  }
}
