import * as React from 'react';
import { cn } from '@/lib/utils';

export type BadgeVariant = 'neutral' | 'accent' | 'success' | 'warning' | 'danger' | 'outline';

const VARIANTS: Record<BadgeVariant, string> = {
  neutral: 'border-border bg-muted text-foreground',
  accent: 'border-primary-border bg-primary-soft text-primary-soft-foreground',
  success: 'border-success-border bg-success-soft text-success-soft-foreground',
  warning: 'border-warning-border bg-warning-soft text-warning-soft-foreground',
  danger: 'border-danger-border bg-danger-soft text-danger-soft-foreground',
  outline: 'border-input bg-transparent text-foreground',
};

const DOTS: Record<BadgeVariant, string> = {
  neutral: 'bg-muted-foreground',
  accent: 'bg-primary',
  success: 'bg-success',
  warning: 'bg-warning',
  danger: 'bg-danger',
  outline: 'bg-muted-foreground',
};

export type BadgeProps = React.ComponentProps<'span'> & {
  variant?: BadgeVariant;
  /** A leading status dot, e.g. for run/deployment states. */
  dot?: boolean;
};

export function Badge({ variant = 'neutral', dot = false, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex w-fit shrink-0 items-center gap-1.5 rounded-md border px-1.5 py-0.5 text-xs leading-4 font-medium whitespace-nowrap',
        '[&_svg]:size-3 [&_svg]:shrink-0',
        VARIANTS[variant],
        className,
      )}
      {...props}
    >
      {dot ? <span className={cn('size-1.5 rounded-full', DOTS[variant])} aria-hidden="true" /> : null}
      {children}
    </span>
  );
}
