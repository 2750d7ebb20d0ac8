import { CircleCheck, CircleX, LoaderCircle, TriangleAlert } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { LABEL_STYLES, isLabelCode } from '@/lib/charts/labels';
import type { QualityReport } from '@/lib/datasets/types';
import { isInProgress, qualityDisplay, statusDisplay } from '@/lib/datasets/status';
import { cn } from '@/lib/utils';

export function VersionStatusBadge({ status, className }: { status: string; className?: string }) {
  const { label, tone } = statusDisplay(status);
  return (
    <Badge variant={tone} dot={!isInProgress(status)} className={className}>
      {isInProgress(status) ? <LoaderCircle className="animate-spin motion-reduce:animate-none" aria-hidden="true" /> : null}
      {label}
    </Badge>
  );
}

const QUALITY_ICONS = { passed: CircleCheck, warnings: TriangleAlert, failed: CircleX } as const;

export function QualityBadge({ status, className }: { status: QualityReport['status']; className?: string }) {
  const { label, tone } = qualityDisplay(status);
  const Icon = QUALITY_ICONS[status] ?? CircleCheck;
  return (
    <Badge variant={tone} className={className} title={`Data quality: ${label.toLowerCase()}`}>
      <Icon aria-hidden="true" />
      <span>
        <span className="sr-only">Quality: </span>
        {label}
      </span>
    </Badge>
  );
}

/** A basket label as a coloured dot and its code; the name is in the title and for screen readers. */
export function LabelTag({ label, className }: { label: string; className?: string }) {
  const style = isLabelCode(label) ? LABEL_STYLES[label] : null;
  return (
    <span className={cn('inline-flex items-center gap-1.5 font-mono text-xs', className)} title={style ? `${label} — ${style.name}` : label}>
      <span className={cn('size-2 shrink-0 rounded-full', style?.swatch ?? 'bg-muted-foreground')} aria-hidden="true" />
      {label}
      {style ? <span className="sr-only"> ({style.name})</span> : null}
    </span>
  );
}
