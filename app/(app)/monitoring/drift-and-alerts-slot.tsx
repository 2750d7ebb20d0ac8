import type { MetricRange } from '@/lib/monitoring';

/**
 * SLOT — drift and alerts (issue 7, another engineer's part): replace this
 * component with the drift charts and alert rules of the selected deployment.
 * The Monitoring page renders it below the traffic and accuracy charts with the
 * deployment and range chosen there. It renders nothing for now.
 */
export function DriftAndAlertsSlot(_props: { deployment: string; range: MetricRange }) {
  return null;
}
