import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { COMPONENT_COLORS } from '@/lib/charts/costs';
import { formatUsd } from '@/lib/costs';
import { cn } from '@/lib/utils';
import type { CostOverview, StackEstimate } from '@/server/services/costs/get-cost-overview';

const STACK_TITLES: Record<string, string> = {
  dev: 'dev — two small nodes, one NAT, single-AZ database',
  prod: 'prod — three nodes, a NAT per AZ, Multi-AZ database',
};

function StackColumn({ stack, target }: { stack: StackEstimate; target: number }) {
  const over = stack.monthly_usd - target;
  const scale = Math.max(target, stack.monthly_usd);
  return (
    <div className="grid content-start gap-3 rounded-lg border border-border bg-subtle px-4 py-4">
      <div className="grid gap-1">
        <h3 className="text-sm font-medium">{STACK_TITLES[stack.stack] ?? stack.stack}</h3>
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
          <span className="text-2xl font-semibold tracking-tight tabular-nums">{formatUsd(stack.monthly_usd, { whole: true })}</span>
          <span className="text-sm text-muted-foreground">a month</span>
          <Badge variant={stack.within_target ? 'success' : 'danger'} dot>
            {stack.within_target ? `${formatUsd(target - stack.monthly_usd, { whole: true })} under the target` : `${formatUsd(over, { whole: true })} over the target`}
          </Badge>
        </p>
      </div>
      <div className="relative h-2 rounded-full bg-muted" role="img" aria-label={`${formatUsd(stack.monthly_usd)} against a target of ${formatUsd(target)}`}>
        <div className={cn('absolute inset-y-0 left-0 rounded-full', stack.within_target ? 'bg-success' : 'bg-danger')} style={{ width: `${(stack.monthly_usd / scale) * 100}%` }} />
        <div className="absolute -inset-y-1 w-0.5 rounded-full bg-foreground" style={{ left: `calc(${(target / scale) * 100}% - 1px)` }} />
      </div>
      <details className="group text-sm">
        <summary className="cursor-pointer text-xs font-medium text-muted-foreground hover:text-foreground">What makes it up</summary>
        <ul className="mt-2 grid gap-1.5">
          {[...stack.lines].sort((a, b) => b.monthly_usd - a.monthly_usd).map((line) => (
            <li key={line.item} className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3">
              <span className="inline-flex min-w-0 items-center gap-2">
                <span className="size-2 shrink-0 rounded-[2px]" style={{ background: COMPONENT_COLORS[line.component as keyof typeof COMPONENT_COLORS] }} aria-hidden="true" />
                <span>{line.item}</span>
              </span>
              <span className="text-right tabular-nums">{formatUsd(line.monthly_usd)}</span>
              <span className="col-span-2 pl-4 text-xs text-muted-foreground">{line.detail}</span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

/** What the AWS stacks would cost a month (lib/infra-config.ts at the dated prices), beside the project's $500 target. */
export function InfraEstimateCard({ overview: o }: { overview: CostOverview }) {
  const { dev, prod, target_usd } = o.infra_estimate;
  return (
    <Card aria-labelledby="infra-estimate">
      <CardHeader>
        <CardTitle id="infra-estimate">Infrastructure estimate</CardTitle>
        <CardDescription>
          What the provisioned AWS stacks cost a month when always on, at {o.price_region} list prices of {o.prices_as_of}, against the target of staying under{' '}
          <span className="font-medium text-foreground">{formatUsd(target_usd, { whole: true })} a month</span>. Usage on top (training, traffic) is in the figures above.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid items-start gap-3 md:grid-cols-2">
        <StackColumn stack={dev} target={target_usd} />
        <StackColumn stack={prod} target={target_usd} />
      </CardContent>
    </Card>
  );
}
