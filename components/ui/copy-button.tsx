'use client';

import * as React from 'react';
import { Check, Copy } from 'lucide-react';
import { cn } from '@/lib/utils';

/*
 * navigator.clipboard only exists in secure contexts; a self-hosted install opened over
 * plain http on the LAN still gets copy through the legacy execCommand path.
 */
async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}

export type CopyButtonProps = {
  text: string;
  /** Accessible name and visible text, e.g. "Copy command". */
  label?: string;
  /** Icon only (the label stays as the accessible name). */
  iconOnly?: boolean;
  className?: string;
};

export function CopyButton({ text, label = 'Copy', iconOnly = false, className }: CopyButtonProps) {
  const [state, setState] = React.useState<'idle' | 'copied' | 'failed'>('idle');

  React.useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  const onClick = () => {
    writeClipboard(text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };

  const visible = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label;
  return (
    <>
      <button
        type="button"
        onClick={onClick}
        aria-label={iconOnly ? visible : undefined}
        className={cn(
          'inline-flex h-7 items-center gap-1.5 rounded-md border border-border bg-card px-2 text-xs font-medium',
          'text-muted-foreground shadow-xs transition-colors hover:bg-muted hover:text-foreground',
          'focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none',
          iconOnly && 'w-7 justify-center px-0',
          state === 'copied' && 'text-success-soft-foreground',
          className,
        )}
      >
        {state === 'copied' ? <Check className="size-3.5" aria-hidden="true" /> : <Copy className="size-3.5" aria-hidden="true" />}
        {iconOnly ? null : <span>{visible}</span>}
      </button>
      {/* Outside the button so the announcement does not become part of its name. */}
      <span className="sr-only" aria-live="polite">
        {state === 'copied' ? 'Copied to clipboard' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </>
  );
}
