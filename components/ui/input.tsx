import * as React from 'react';
import { cn } from '@/lib/utils';

/** Shared by Input, Textarea and Select so every control has the same border, focus and error look. */
export const controlClassName = cn(
  'w-full min-w-0 rounded-lg border border-input bg-card text-sm text-foreground shadow-xs',
  'transition-[border-color,box-shadow] outline-none placeholder:text-muted-foreground',
  'focus-visible:border-ring focus-visible:ring-3 focus-visible:ring-ring/25',
  'aria-invalid:border-danger aria-invalid:focus-visible:ring-danger/25',
  'disabled:cursor-not-allowed disabled:bg-muted disabled:opacity-60',
);

export function Input({ className, type = 'text', ...props }: React.ComponentProps<'input'>) {
  return (
    <input
      type={type}
      className={cn(
        controlClassName,
        'h-9 px-3 py-1 read-only:bg-subtle',
        'file:mr-3 file:border-0 file:bg-transparent file:text-sm file:font-medium file:text-foreground',
        className,
      )}
      {...props}
    />
  );
}
