import * as React from 'react';
import { ChevronDown } from 'lucide-react';
import { cn } from '@/lib/utils';
import { controlClassName } from './input';

export type SelectProps = React.ComponentProps<'select'> & {
  /** Classes for the wrapper (layout/width); `className` styles the `<select>` itself. */
  containerClassName?: string;
};

/**
 * A styled native `<select>`: it posts with plain server-action forms, works without
 * JavaScript and gets the platform's own picker on phones.
 */
export function Select({ className, containerClassName, children, ...props }: SelectProps) {
  return (
    <div className={cn('relative w-full', containerClassName)}>
      <select className={cn(controlClassName, 'h-9 appearance-none pr-9 pl-3', className)} {...props}>
        {children}
      </select>
      <ChevronDown
        className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden="true"
      />
    </div>
  );
}
