import * as React from 'react';
import { cn } from '@/lib/utils';

export type TableProps = React.ComponentProps<'table'> & {
  /**
   * Classes for the scroll container. Give it a max height (e.g. `max-h-[480px]`) for the
   * header to stick while the body scrolls; the container also scrolls sideways on phones.
   */
  containerClassName?: string;
};

/*
 * border-separate (not collapse) so the sticky header keeps its bottom border while the
 * body scrolls under it; row borders live on the cells instead. contain:inline-size stops a
 * wide table from stretching its grid/flex parent: it scrolls sideways instead.
 */
export function Table({ className, containerClassName, ...props }: TableProps) {
  return (
    <div className={cn('relative w-full overflow-auto [contain:inline-size]', containerClassName)}>
      <table
        className={cn('w-full border-separate border-spacing-0 text-sm tabular-nums caption-bottom', className)}
        {...props}
      />
    </div>
  );
}

export function THead({ className, ...props }: React.ComponentProps<'thead'>) {
  return <thead className={className} {...props} />;
}

export function TBody({ className, ...props }: React.ComponentProps<'tbody'>) {
  return <tbody className={cn('[&>tr:last-child>td]:border-b-0', className)} {...props} />;
}

export function TR({ className, ...props }: React.ComponentProps<'tr'>) {
  return (
    <tr
      className={cn(
        'transition-colors [tbody>&]:hover:bg-subtle data-[state=selected]:bg-primary-soft/60',
        className,
      )}
      {...props}
    />
  );
}

type CellAlign = { /** Right-aligns the cell (numbers, money, durations). */ numeric?: boolean };

export function TH({ className, numeric, scope = 'col', ...props }: React.ComponentProps<'th'> & CellAlign) {
  return (
    <th
      scope={scope}
      className={cn(
        'sticky top-0 z-10 h-9 border-b border-border bg-subtle px-3 text-left align-middle',
        'text-xs font-medium whitespace-nowrap text-muted-foreground first:pl-5 last:pr-5',
        numeric && 'text-right',
        className,
      )}
      {...props}
    />
  );
}

export function TD({ className, numeric, ...props }: React.ComponentProps<'td'> & CellAlign) {
  return (
    <td
      className={cn(
        'border-b border-border px-3 py-2.5 align-middle whitespace-nowrap first:pl-5 last:pr-5',
        numeric && 'text-right',
        className,
      )}
      {...props}
    />
  );
}

export function TableCaption({ className, ...props }: React.ComponentProps<'caption'>) {
  return <caption className={cn('mt-3 text-xs text-muted-foreground', className)} {...props} />;
}
