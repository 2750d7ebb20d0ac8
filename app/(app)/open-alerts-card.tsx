import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import type { GlanceAlert, GlancePart } from '@/lib/overview';
import { formatRelative } from '@/lib/utils';

const SHOWN = 5;

/**
 * The overview's "Open alerts": what fires now, newest first, each linking to its
 * deployment's Monitoring page. Given the list the production glance read (one
 * query for the tile and the card).
 */
export function OpenAlertsCard({ alerts }: { alerts: GlancePart<GlanceAlert[]> }) {
  const open = alerts.ok ? alerts.value : [];
  const status = !alerts.ok ? `Open alerts could not be read: ${alerts.error}.` : open.length ? `${open.length} alert${open.length === 1 ? '' : 's'} firing.` : 'No alert is firing.';
  return (
    <Card className="mt-6" data-testid="open-alerts">
      <CardHeader>
        <CardTitle>Open alerts</CardTitle>
        <CardDescription>
          {status} Rules and history are on the <Link href="/monitoring" className="underline">Monitoring</Link> page.
        </CardDescription>
      </CardHeader>
      {open.length ? (
        <CardContent>
          <ul className="divide-y divide-border text-sm">
            {open.slice(0, SHOWN).map((e) => (
              <li key={e.id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 py-2">
                <span className="flex items-baseline gap-2">
                  <Badge variant="danger" dot>Firing</Badge>
                  <Link href={e.deployment ? `/monitoring?deployment=${encodeURIComponent(e.deployment)}` : '/costs'} className="hover:underline">{e.message}</Link>
                </span>
                <span className="text-xs text-muted-foreground">since {formatRelative(e.firedAt)}</span>
              </li>
            ))}
          </ul>
          {open.length > SHOWN ? <p className="mt-2 text-xs text-muted-foreground">and {open.length - SHOWN} more.</p> : null}
        </CardContent>
      ) : null}
    </Card>
  );
}
