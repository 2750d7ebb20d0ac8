import type { ConfusionView } from '@/lib/charts/runs';
import { formatInt, formatPercent } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';

/**
 * Rows are the true class, columns the predicted one. Each cell shows its count and
 * is shaded by its share of the row (so recall reads along the diagonal).
 */
export function ConfusionMatrix({ view, caption = 'Confusion matrix', compact = false }: { view: ConfusionView; caption?: string; compact?: boolean }) {
  return (
    <figure className="grid gap-2">
      <table className="w-full border-separate border-spacing-1 text-sm tabular-nums" aria-label={caption}>
        <caption className="sr-only">{caption}: rows are the true class, columns the predicted class</caption>
        <thead>
          <tr>
            <th scope="col" className="w-14 text-left text-[11px] font-medium text-muted-foreground">
              true ↓ / pred →
            </th>
            {view.labels.map((l) => (
              <th key={l} scope="col" className="pb-1 text-center font-mono text-xs font-medium text-muted-foreground">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.rows.map((row) => (
            <tr key={row.actual}>
              <th scope="row" className="pr-1 text-left font-mono text-xs font-medium text-muted-foreground">
                {row.actual}
              </th>
              {row.cells.map((cell) => {
                const dark = cell.rowShare > 0.55;
                return (
                  <td
                    key={cell.predicted}
                    title={`true ${cell.actual}, predicted ${cell.predicted}: ${formatInt(cell.count)} (${formatPercent(cell.rowShare)} of ${cell.actual})`}
                    className={cn('rounded-md text-center', compact ? 'h-11' : 'h-14', cell.actual === cell.predicted && 'ring-1 ring-primary/40 ring-inset')}
                    style={{ background: `color-mix(in oklab, var(--color-primary) ${Math.round(cell.rowShare * 85 + 4)}%, var(--color-card))` }}
                  >
                    <span className={cn('block font-medium', compact ? 'text-xs' : 'text-sm', dark ? 'text-primary-foreground' : 'text-foreground')}>{formatInt(cell.count)}</span>
                    <span className={cn('block text-[11px]', dark ? 'text-primary-foreground/80' : 'text-muted-foreground')}>{formatPercent(cell.rowShare, 0)}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <figcaption className="text-xs text-muted-foreground">
        {formatInt(view.correct)} of {formatInt(view.total)} test baskets on the diagonal. Shading: share of the true class’s row.
      </figcaption>
    </figure>
  );
}
