import { CircleCheck, CircleX, Radio } from 'lucide-react';
import { Badge, type BadgeVariant } from '@/components/ui/badge';
import { gateSummary, type GateLike } from '@/lib/charts/models';
import { APPROVAL_LABELS, type ApprovalStatusName } from '@/lib/models';

const TONES: Record<ApprovalStatusName, BadgeVariant> = {
  PendingManualApproval: 'warning',
  Approved: 'success',
  Rejected: 'danger',
};

export function ModelStatusBadge({ status, className }: { status: string; className?: string }) {
  const known = status in TONES ? (status as ApprovalStatusName) : null;
  return (
    <Badge variant={known ? TONES[known] : 'neutral'} dot className={className}>
      {known ? APPROVAL_LABELS[known] : status}
    </Badge>
  );
}

/** "5/5 gates" in green, or the failing gates by name in red. */
export function GatesSummary({ results }: { results: GateLike[] | null | undefined }) {
  const s = gateSummary(results);
  if (s.allPassed) {
    return (
      <Badge variant="success">
        <CircleCheck aria-hidden="true" />
        {s.passed}/{s.total} gates
      </Badge>
    );
  }
  return (
    <span className="inline-flex max-w-[16rem] flex-wrap items-center gap-1">
      <Badge variant="danger">
        <CircleX aria-hidden="true" />
        {s.passed}/{s.total} gates
      </Badge>
      <span className="text-xs text-danger-soft-foreground">fails {s.failed.join(', ') || 'every gate'}</span>
    </span>
  );
}

/** One badge per deployment a version serves now. */
export function ServingBadges({ deployments }: { deployments: { name: string }[] }) {
  if (!deployments.length) return null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {deployments.map((d) => (
        <Badge key={d.name} variant="accent" title={`Serves ${d.name} now`}>
          <Radio aria-hidden="true" />
          {d.name}
        </Badge>
      ))}
    </span>
  );
}
