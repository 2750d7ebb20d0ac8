import { CircleCheck, CircleX } from 'lucide-react';
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import type { GateResult } from '@/lib/kpi-gates';
import { gateSummary } from '@/lib/charts/models';
import { cn } from '@/lib/utils';
import { formatMetric } from '../../runs/_components/run-status';

/** Each KPI gate as evaluated at registration: threshold, measured value, verdict. */
export function GatesCard({ results }: { results: GateResult[] }) {
  const s = gateSummary(results);
  return (
    <Card className="pb-0" aria-labelledby="gates-title">
      <CardHeader>
        <CardTitle id="gates-title">KPI gates</CardTitle>
        <CardDescription>
          {s.allPassed ? `Passes all ${s.total} gates.` : `Passes ${s.passed} of ${s.total}; fails ${s.failed.join(', ')}.`} Thresholds as they were when it was registered.
        </CardDescription>
      </CardHeader>
      <Table aria-label="KPI gates">
        <THead>
          <TR>
            <TH>Gate</TH>
            <TH numeric>Threshold</TH>
            <TH numeric>Value</TH>
            <TH>Result</TH>
          </TR>
        </THead>
        <TBody>
          {results.map((g) => (
            <TR key={g.gate}>
              <TD>{g.label}</TD>
              <TD numeric className="text-muted-foreground">≥ {g.threshold.toFixed(2)}</TD>
              <TD numeric className={cn('font-medium', !g.passed && 'text-danger-soft-foreground')}>{formatMetric(g.value)}</TD>
              <TD>
                {g.passed ? (
                  <span className="inline-flex items-center gap-1 text-success-soft-foreground">
                    <CircleCheck className="size-4" aria-hidden="true" /> Pass
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-1 font-medium text-danger-soft-foreground">
                    <CircleX className="size-4" aria-hidden="true" /> Fail
                  </span>
                )}
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}
