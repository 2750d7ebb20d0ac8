import * as React from 'react';
import { cn } from '@/lib/utils';
import { CopyButton } from './copy-button';

export type CodeBlockProps = {
  code: string;
  /** Small caption in the top bar, e.g. "bash" or "curl". */
  language?: string;
  /** Prefix each line with a non-copied "$" (shell commands). */
  prompt?: boolean;
  copyable?: boolean;
  className?: string;
};

export function CodeBlock({ code, language, prompt = false, copyable = true, className }: CodeBlockProps) {
  const lines = code.replace(/\n$/, '').split('\n');
  const hasBar = Boolean(language);
  return (
    <div className={cn('group relative min-w-0 overflow-hidden rounded-lg border border-border bg-subtle', className)}>
      {hasBar ? (
        <div className="flex h-9 items-center justify-between border-b border-border pr-1.5 pl-3">
          <span className="font-mono text-xs text-muted-foreground">{language}</span>
          {copyable ? <CopyButton text={code} className="border-transparent bg-transparent shadow-none" /> : null}
        </div>
      ) : null}
      <pre className={cn('overflow-x-auto px-3 py-2.5 font-mono text-[13px] leading-6', !hasBar && copyable && 'pr-12')}>
        <code>
          {lines.map((line, i) => (
            <React.Fragment key={i}>
              {prompt ? (
                <span className="text-muted-foreground select-none" aria-hidden="true">
                  ${' '}
                </span>
              ) : null}
              {line}
              {i < lines.length - 1 ? '\n' : null}
            </React.Fragment>
          ))}
        </code>
      </pre>
      {!hasBar && copyable ? (
        <CopyButton text={code} iconOnly label="Copy code" className="absolute top-2 right-2" />
      ) : null}
    </div>
  );
}
