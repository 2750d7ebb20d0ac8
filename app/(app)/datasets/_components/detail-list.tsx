import * as React from 'react';
import { cn } from '@/lib/utils';

/** Label/value pairs (lineage, metadata) in two columns; `wide` items take a whole row. */
export function DetailList({ className, children }: { className?: string; children: React.ReactNode }) {
  return <dl className={cn('grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:gap-x-8', className)}>{children}</dl>;
}

export function Detail({ label, children, className, wide = false }: { label: React.ReactNode; children: React.ReactNode; className?: string; wide?: boolean }) {
  return (
    <div className={cn('grid min-w-0 gap-0.5', wide && 'col-span-2', className)}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
