import type { Metadata } from 'next';
import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { algorithmOptions, loadDatasetOptions } from '../../_components/load-options';
import { SweepForm } from './sweep-form';

export const metadata: Metadata = { title: 'New sweep' };

export default async function NewSweepPage() {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write');
  const crumbs = [{ label: 'Training runs', href: '/runs' }, { label: 'Sweeps', href: '/runs?tab=sweeps' }, { label: 'New sweep' }];
  if (!canWrite) {
    return (
      <>
        <PageHeader title="New sweep" breadcrumbs={crumbs} />
        <Callout variant="warning" title="Your role cannot launch sweeps">Ask an admin for the ML engineer role.</Callout>
      </>
    );
  }
  const datasets = await loadDatasetOptions(ctx);
  const { options, defaultAlgorithm } = algorithmOptions();
  return (
    <>
      <PageHeader title="New sweep" description="Search parameters over many runs; the best run is pointed out when they finish." breadcrumbs={crumbs} />
      {datasets.length === 0 ? (
        <EmptyState title="No ready dataset version" description="Import data first.">
          <Button asChild variant="outline">
            <Link href="/datasets">Go to datasets</Link>
          </Button>
        </EmptyState>
      ) : (
        <SweepForm datasets={datasets} algorithms={options} defaultAlgorithm={defaultAlgorithm} />
      )}
    </>
  );
}
