import { LoaderCircle } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';

export const TERMINAL_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export const isTerminal = (status: string) => (TERMINAL_STATUSES as readonly string[]).includes(status);
export const isActive = (status: string) => status === 'queued' || status === 'running';

const DISPLAY: Record<string, { label: string; tone: BadgeVariant }> = {
  queued: { label: 'Queued', tone: 'neutral' },
  running: { label: 'Running', tone: 'accent' },
  succeeded: { label: 'Succeeded', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'warning' },
};

export function statusLabel(status: string) {
  return DISPLAY[status]?.label ?? status;
}

export function RunStatusBadge({ status, cancelling = false, className }: { status: string; cancelling?: boolean; className?: string }) {
  const d = DISPLAY[status] ?? { label: status, tone: 'neutral' as const };
  return (
    <Badge variant={d.tone} dot={status !== 'running'} className={className}>
      {status === 'running' ? <LoaderCircle className="animate-spin motion-reduce:animate-none" aria-hidden="true" /> : null}
      {cancelling && status === 'running' ? 'Cancelling…' : d.label}
    </Badge>
  );
}

/** 0.73456 → "0.7346"; null → "—". Metrics are shown to four places, as in the CLI. */
export function formatMetric(value: number | null | undefined, digits = 4) {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

export function formatUsd(value: number | null | undefined) {
  if (value === null || value === undefined) return '—';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

export function formatEta(seconds: number | null | undefined) {
  if (seconds === null || seconds === undefined) return null;
  if (seconds < 60) return `~${Math.max(1, Math.round(seconds))} s left`;
  return `~${Math.round(seconds / 60)} min left`;
}

export const ALGORITHM_LABELS: Record<string, string> = {
  logistic_regression: 'Logistic regression',
  gbdt: 'Gradient boosting',
  random_forest: 'Random forest',
  decision_tree: 'Decision tree',
};
export const algorithmLabel = (a: string) => ALGORITHM_LABELS[a] ?? a;
