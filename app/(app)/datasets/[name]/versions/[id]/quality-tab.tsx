import { CircleCheck, CircleX, Info, ShieldQuestion, TriangleAlert, type LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Callout } from '@/components/ui/callout';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { formatInt } from '@/lib/datasets/format';
import { checkCountLabel, checkOutcome, exampleCell, exampleColumns, sortChecks, summariseChecks, type CheckOutcome } from '@/lib/datasets/quality';
import { attemptMessage, isInProgress } from '@/lib/datasets/status';
import type { Check } from '@/lib/datasets/types';
import { cn, formatDateTime } from '@/lib/utils';
import type { LoadedVersion } from '../../../_components/load';
import { QualityBadge } from '../../../_components/status-badges';

const OUTCOME: Record<CheckOutcome, { Icon: LucideIcon; icon: string; label: string; badge: 'danger' | 'warning' | 'accent' | 'success' }> = {
  fail: { Icon: CircleX, icon: 'text-danger', label: 'Error', badge: 'danger' },
  warn: { Icon: TriangleAlert, icon: 'text-warning', label: 'Warning', badge: 'warning' },
  info: { Icon: Info, icon: 'text-primary', label: 'Note', badge: 'accent' },
  pass: { Icon: CircleCheck, icon: 'text-success', label: 'Passed', badge: 'success' },
};

function Examples({ check }: { check: Check }) {
  const columns = exampleColumns(check.examples);
  if (!columns.length) return null;
  return (
    <div className="mt-3 overflow-x-auto rounded-md border border-border [contain:inline-size]">
      <table className="w-full border-separate border-spacing-0 text-xs tabular-nums">
        <caption className="sr-only">Examples for “{check.title}”</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="border-b border-border bg-subtle px-2.5 py-1.5 text-left font-mono font-medium whitespace-nowrap text-muted-foreground">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {check.examples.map((example, i) => (
            <tr key={i}>
              {columns.map((c) => {
                const text = exampleCell(example[c]);
                return (
                  <td key={c} className="max-w-md truncate border-b border-border px-2.5 py-1.5 font-mono whitespace-nowrap [tr:last-child>&]:border-b-0" title={text.length > 40 ? text : undefined}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CheckRow({ check }: { check: Check }) {
  const outcome = checkOutcome(check);
  const { Icon, icon, label, badge } = OUTCOME[outcome];
  return (
    <li className={cn('flex gap-3 px-5', outcome === 'pass' ? 'py-3' : 'py-4')} data-outcome={outcome}>
      <Icon className={cn('mt-0.5 size-5 shrink-0', icon)} aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h3 className="text-sm font-medium">{check.title}</h3>
          {outcome === 'pass' ? <span className="sr-only">(passed)</span> : <Badge variant={badge}>{label}</Badge>}
          {check.count > 0 ? <span className="text-xs text-muted-foreground tabular-nums">{checkCountLabel(check)}</span> : null}
        </div>
        <p className={cn('mt-1 break-words text-muted-foreground', outcome === 'pass' ? 'text-xs' : 'text-sm')}>{check.message}</p>
        {outcome !== 'pass' ? <Examples check={check} /> : null}
      </div>
    </li>
  );
}

export function QualityTab({ version }: { version: LoadedVersion }) {
  const report = version.qualityReport;
  const rejected = version.status === 'rejected';
  return (
    <div className="grid gap-6">
      {rejected || version.status === 'failed' ? (
        <Callout variant="danger" title={rejected ? 'This import was rejected' : 'This import failed'}>
          <p className="break-words">{attemptMessage(version.errorMessage) ?? 'No reason was recorded.'}</p>
          <p className="mt-1">Nothing of it was kept. Fix the files and import them again; the checks below say what to change.</p>
        </Callout>
      ) : null}

      {!report ? (
        <EmptyState
          icon={<ShieldQuestion />}
          title={isInProgress(version.status) ? 'Validation has not finished yet' : 'No quality report'}
          description={
            isInProgress(version.status)
              ? 'The report appears here as soon as the checks have run; the Overview tab shows the progress.'
              : 'The import stopped before its files were checked.'
          }
        />
      ) : (
        <Card className="gap-0 py-0">
          <div className="flex flex-col gap-3 border-b border-border px-5 py-4 sm:flex-row sm:items-center sm:justify-between">
            <div className="grid gap-1">
              <div className="flex items-center gap-2">
                <h2 className="text-[15px] font-semibold tracking-tight">Data-quality report</h2>
                <QualityBadge status={report.status} />
              </div>
              <p className="text-xs text-muted-foreground">
                {formatInt(report.rows)} rows in {report.files} file{report.files === 1 ? '' : 's'} · checked {formatDateTime(report.checkedAt)}
              </p>
            </div>
            <Summary report={report} />
          </div>
          <ul className="divide-y divide-border" aria-label="Checks">
            {sortChecks(report.checks).map((check) => (
              <CheckRow key={check.id} check={check} />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

function Summary({ report }: { report: NonNullable<LoadedVersion['qualityReport']> }) {
  const counts = summariseChecks(report);
  const parts: { outcome: CheckOutcome; text: string }[] = [
    { outcome: 'fail', text: `${counts.fail} error${counts.fail === 1 ? '' : 's'}` },
    { outcome: 'warn', text: `${counts.warn} warning${counts.warn === 1 ? '' : 's'}` },
    { outcome: 'info', text: `${counts.info} note${counts.info === 1 ? '' : 's'}` },
    { outcome: 'pass', text: `${counts.pass} passed` },
  ];
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Summary">
      {parts.map(({ outcome, text }) => {
        const { Icon, icon } = OUTCOME[outcome];
        const zero = counts[outcome] === 0;
        return (
          <li key={outcome} className={cn('inline-flex items-center gap-1.5 tabular-nums', zero ? 'text-muted-foreground' : 'font-medium text-foreground')}>
            <Icon className={cn('size-3.5', zero ? 'text-muted-foreground' : icon)} aria-hidden="true" />
            {text}
          </li>
        );
      })}
    </ul>
  );
}
