import type { Metadata } from 'next';
import Link from 'next/link';
import { Database } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { algorithmOptions, loadDatasetOptions } from '../_components/load-options';
import { LaunchForm } from './launch-form';

export const metadata: Metadata = { title: 'New run' };

export default async function NewRunPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write');
  const crumbs = [{ label: 'Training runs', href: '/runs' }, { label: 'New run' }];
  if (!canWrite) {
    return (
      <>
        <PageHeader title="New run" breadcrumbs={crumbs} />
        <Callout variant="warning" title="Your role cannot launch runs">Viewers can browse and compare runs. Ask an admin for the ML engineer role to launch them.</Callout>
      </>
    );
  }
  const datasets = await loadDatasetOptions(ctx);
  const { options, defaultAlgorithm } = algorithmOptions();
  return (
    <>
      <PageHeader title="New run" description="Train one model on a dataset version; watch it live on the next page." breadcrumbs={crumbs} />
      {datasets.length === 0 ? (
        <EmptyState icon={<Database />} title="No ready dataset version" description="A run needs a dataset version that passed validation. Import data first (the demo dataset appears a minute after the first start).">
          <Button asChild variant="outline">
            <Link href="/datasets">Go to datasets</Link>
          </Button>
        </EmptyState>
      ) : (
        <LaunchForm datasets={datasets} algorithms={options} defaultAlgorithm={defaultAlgorithm} initialDataset={(await searchParams).dataset} />
      )}
    </>
  );
}
