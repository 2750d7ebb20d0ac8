import type { ProbabilityBar } from '@/lib/charts/deployments';
import { formatPercent } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';

/** Class probabilities of one prediction as horizontal bars, the predicted class in bold. */
export function ProbabilityBars({ bars, names }: { bars: ProbabilityBar[]; names?: Record<string, string> }) {
  return (
    <ul className="grid gap-1.5" aria-label="Class probabilities">
      {bars.map((b) => (
        <li key={b.label} className="grid grid-cols-[minmax(7rem,auto)_1fr_3.5rem] items-center gap-3 text-sm">
          <span className={cn('truncate', b.isPredicted ? 'font-semibold' : 'text-muted-foreground')}>
            <span className="font-mono">{b.label}</span>
            {names?.[b.label] ? <span className="ml-1.5 text-xs">{names[b.label]}</span> : null}
          </span>
          <span className="h-2.5 overflow-hidden rounded-full bg-muted" aria-hidden="true">
            <span className="block h-full rounded-full" style={{ width: `${b.probability * 100}%`, background: b.color, opacity: b.isPredicted ? 1 : 0.55 }} />
          </span>
          <span className={cn('text-right tabular-nums', b.isPredicted && 'font-semibold')}>{formatPercent(b.probability)}</span>
        </li>
      ))}
    </ul>
  );
}
