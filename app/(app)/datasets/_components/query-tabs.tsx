import Link from 'next/link';
import { cn } from '@/lib/utils';

export type QueryTab = { key: string; label: string; href: string; count?: number; countTone?: 'neutral' | 'warning' | 'danger' };

const COUNT_TONES = {
  neutral: 'bg-muted text-muted-foreground',
  warning: 'bg-warning-soft text-warning-soft-foreground',
  danger: 'bg-danger-soft text-danger-soft-foreground',
} as const;

/**
 * Tabs as links that differ only in `?tab=` (TabsNav matches on the path, so every
 * item would look active here). Same look as TabsNav; the server knows the active tab.
 */
export function QueryTabs({ items, active, label = 'Version sections' }: { items: QueryTab[]; active: string; label?: string }) {
  return (
    <nav aria-label={label} className="-mx-4 mb-6 overflow-x-auto border-b border-border px-4 sm:mx-0 sm:px-0">
      <ul className="flex min-w-max gap-1">
        {items.map((item) => {
          const isActive = item.key === active;
          return (
            <li key={item.key}>
              <Link
                href={item.href}
                scroll={false}
                aria-current={isActive ? 'page' : undefined}
                className={cn(
                  'relative -mb-px flex h-10 items-center gap-2 border-b-2 px-3 text-sm font-medium transition-colors',
                  'rounded-t-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none focus-visible:ring-inset',
                  isActive ? 'border-primary text-foreground' : 'border-transparent text-muted-foreground hover:border-input hover:text-foreground',
                )}
              >
                {item.label}
                {item.count !== undefined ? (
                  <span className={cn('rounded-full px-1.5 py-px text-xs tabular-nums', COUNT_TONES[item.countTone ?? 'neutral'])}>{item.count}</span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
