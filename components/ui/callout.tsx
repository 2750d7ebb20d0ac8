import * as React from 'react';
import { CircleAlert, CircleCheck, Info, TriangleAlert, type LucideIcon } from 'lucide-react';
import { cn } from '@/lib/utils';

export type CalloutVariant = 'info' | 'success' | 'warning' | 'danger';

const STYLES: Record<CalloutVariant, { box: string; icon: string; Icon: LucideIcon }> = {
  info: { box: 'border-primary-border bg-primary-soft/60', icon: 'text-primary', Icon: Info },
  success: { box: 'border-success-border bg-success-soft', icon: 'text-success', Icon: CircleCheck },
  warning: { box: 'border-warning-border bg-warning-soft', icon: 'text-warning', Icon: TriangleAlert },
  danger: { box: 'border-danger-border bg-danger-soft', icon: 'text-danger', Icon: CircleAlert },
};

export type CalloutProps = Omit<React.ComponentProps<'div'>, 'title'> & {
  variant?: CalloutVariant;
  title?: React.ReactNode;
};

/** danger announces immediately (role="alert"); the others politely (role="status"). */
export function Callout({ variant = 'info', title, className, children, ...props }: CalloutProps) {
  const { box, icon, Icon } = STYLES[variant];
  return (
    <div
      role={variant === 'danger' ? 'alert' : 'status'}
      className={cn('flex min-w-0 gap-3 rounded-lg border px-4 py-3 text-sm text-foreground', box, className)}
      {...props}
    >
      <Icon className={cn('mt-0.5 size-4 shrink-0', icon)} aria-hidden="true" />
      <div className="grid min-w-0 gap-1">
        {title ? <p className="leading-5 font-medium">{title}</p> : null}
        {children ? <div className="leading-5 text-foreground/80 [&_a]:font-medium [&_a]:underline">{children}</div> : null}
      </div>
    </div>
  );
}
