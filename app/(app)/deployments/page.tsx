import type { Metadata } from 'next';
import Link from 'next/link';
import { Rocket } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { getDeployment, listDeployments } from '@/server/services/deployments/read-deployments';
import { predictionUrl } from '@/server/services/deployments/try-prediction';
import { AutoRefresh } from './auto-refresh';
import { DeploymentSection } from './deployment-section';
import { TryItPanel } from './try-it-panel';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'deployments:write');
  const deployments = await listDeployments(ctx);
  const [details, urls] = await Promise.all([
    Promise.all(deployments.map((d) => getDeployment(ctx, d.name))),
    // For the curl example: where each deployment answers (null when no instance has reported).
    Promise.all(deployments.map((d) => predictionUrl(ctx, d.name).catch(() => null))),
  ]);
  const now = new Date();
  const tryTargets = deployments.map((d, i) => ({ name: d.name, url: urls[i] ?? null, serving: Boolean(d.current) })).filter((t) => t.serving).map(({ name, url }) => ({ name, url }));

  return (
    <>
      <PageHeader title="Deployments" description="What serves predictions where, since when, and its history." />
      {deployments.length === 0 ? (
        <EmptyState
          icon={<Rocket />}
          title="Nothing is deployed yet"
          description="Deploy an approved model to a named deployment such as production; the inference service picks it up, verifies it and swaps it in without dropping requests. Rollback is one click."
        >
          <Button asChild variant="outline">
            <Link href="/models">Go to models</Link>
          </Button>
        </EmptyState>
      ) : (
        <div className="grid gap-10">
          <AutoRefresh seconds={10} />
          {deployments.map((d, i) => (
            <DeploymentSection key={d.name} summary={d} detail={details[i]!} canWrite={canWrite} now={now} />
          ))}
          {tryTargets.length ? <TryItPanel targets={tryTargets} /> : null}
        </div>
      )}
    </>
  );
}
