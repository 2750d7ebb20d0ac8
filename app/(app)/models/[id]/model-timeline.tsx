import { CircleCheck, CircleX, CirclePlus, Rocket, Undo2, CircleStop, type LucideIcon } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { TimelineEntry, TimelineKind } from '@/lib/charts/models';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';

const ICONS: Record<TimelineKind, { Icon: LucideIcon; tone: string }> = {
  registered: { Icon: CirclePlus, tone: 'text-muted-foreground' },
  approved: { Icon: CircleCheck, tone: 'text-success' },
  rejected: { Icon: CircleX, tone: 'text-danger' },
  deployed: { Icon: Rocket, tone: 'text-primary' },
  'rolled-back': { Icon: Undo2, tone: 'text-warning' },
  replaced: { Icon: CircleStop, tone: 'text-muted-foreground' },
};

/** What happened to the version, oldest first: who did it, when, and why. */
export function ModelTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <Card aria-labelledby="timeline-title">
      <CardHeader>
        <CardTitle id="timeline-title">Timeline</CardTitle>
        <CardDescription>Registration, decisions and deployments of this version.</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-0" aria-label="Model version timeline">
          {entries.map((e, i) => {
            const { Icon, tone } = ICONS[e.kind];
            const last = i === entries.length - 1;
            return (
              <li key={e.key} className="relative grid grid-cols-[1.5rem_1fr] gap-3 pb-5 last:pb-0">
                {last ? null : <span className="absolute top-6 bottom-0 left-3 w-px -translate-x-1/2 bg-border" aria-hidden="true" />}
                <Icon className={cn('mt-0.5 size-5', tone)} aria-hidden="true" />
                <div className="grid min-w-0 gap-1">
                  <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                    <span className="font-medium">{e.title}</span>
                    {e.isOverride ? <Badge variant="warning">Override</Badge> : null}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {e.actor ? <>{e.actor} · </> : null}
                    <time dateTime={e.at} title={formatDateTime(e.at)}>{formatRelative(e.at)}</time>
                    <span className="hidden sm:inline"> ({formatDateTime(e.at)})</span>
                  </p>
                  {e.comment ? <p className="rounded-md bg-subtle px-3 py-2 text-sm whitespace-pre-line">{e.comment}</p> : null}
                </div>
              </li>
            );
          })}
        </ol>
      </CardContent>
    </Card>
  );
}
