import * as React from 'react';
import { cn } from '@/lib/utils';
import type { HeadingTag } from './card';
import { CodeBlock } from './code-block';

export type EmptyStateProps = {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** An icon element, e.g. `<Database />` (sized by the component). */
  icon?: React.ReactNode;
  /** A CLI command that fixes the emptiness, shown as a copyable block. */
  command?: string;
  /** Actions (buttons/links). */
  children?: React.ReactNode;
  /** Heading level of the title; h2 by default, h3 inside a titled card. */
  as?: HeadingTag;
  className?: string;
};

export function EmptyState({ title, description, icon, command, children, as: Tag = 'h2', className }: EmptyStateProps) {
  return (
    <div
      className={cn(
        'flex min-w-0 flex-col items-center rounded-lg border border-dashed border-input bg-card px-6 py-12 text-center',
        className,
      )}
    >
      {icon ? (
        <div
          className="mb-4 flex size-10 items-center justify-center rounded-lg border border-border bg-subtle text-muted-foreground shadow-xs [&_svg]:size-5"
          aria-hidden="true"
        >
          {icon}
        </div>
      ) : null}
      <Tag className="text-[15px] font-semibold tracking-tight">{title}</Tag>
      {description ? <p className="mt-1.5 max-w-md text-sm text-balance text-muted-foreground">{description}</p> : null}
      {command ? <CodeBlock code={command} prompt className="mt-5 w-full max-w-md text-left" /> : null}
      {children ? <div className="mt-5 flex flex-wrap items-center justify-center gap-2">{children}</div> : null}
    </div>
  );
}
