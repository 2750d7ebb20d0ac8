import { cn } from '@/lib/utils';

export type ProgressBarProps = {
  /** 0..1 */
  value: number;
  /** Accessible name, e.g. "Upload progress". */
  label: string;
  /** What a screen reader announces, e.g. "12.3 MB of 30.1 MB (41%)". */
  valueText?: string;
  tone?: 'primary' | 'success' | 'danger' | 'muted';
  size?: 'sm' | 'md';
  className?: string;
};

const TONES = { primary: 'bg-primary', success: 'bg-success', danger: 'bg-danger', muted: 'bg-muted-foreground/50' } as const;

export function ProgressBar({ value, label, valueText, tone = 'primary', size = 'md', className }: ProgressBarProps) {
  const pct = Math.round(Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={valueText ?? `${pct}%`}
      className={cn('w-full overflow-hidden rounded-full bg-muted', size === 'sm' ? 'h-1.5' : 'h-2', className)}
    >
      <div
        className={cn('h-full rounded-full transition-[width] duration-300 ease-out motion-reduce:transition-none', TONES[tone])}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
