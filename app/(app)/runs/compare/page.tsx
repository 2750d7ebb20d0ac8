import type { Metadata } from 'next';
import Link from 'next/link';
import { GitCompare } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { compareRuns } from '@/server/services/runs/read-runs';
import type { Curves, RunView } from '../_components/types';
import { CompareView } from './compare-view';

export const metadata: Metadata = { title: 'Compare runs' };

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ ids?: string | string[] }> }) {
  const ctx = await pageContext();
  const raw = (await searchParams).ids;
  const ids = (Array.isArray(raw) ? raw.join(',') : (raw ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  const crumbs = [{ label: 'Training runs', href: '/runs' }, { label: 'Compare' }];
  if (ids.length === 0) {
    return (
      <>
        <PageHeader title="Compare runs" breadcrumbs={crumbs} />
        <EmptyState icon={<GitCompare />} title="No runs chosen" description="Tick two or more runs in the runs table, then press Compare.">
          <Button asChild variant="outline">
            <Link href="/runs">Go to runs</Link>
          </Button>
        </EmptyState>
      </>
    );
  }
  let data;
  try {
    data = await compareRuns(ctx, ids);
  } catch (error) {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION')) {
      return (
        <>
          <PageHeader title="Compare runs" breadcrumbs={crumbs} />
          <Callout variant="danger" title="These runs cannot be compared">{error.message}</Callout>
        </>
      );
    }
    throw error;
  }
  const wire = JSON.parse(JSON.stringify(data)) as { runs: RunView[]; curves: Record<string, Curves> };
  return (
    <>
      <PageHeader title={`Compare ${wire.runs.length} runs`} description={wire.runs.map((r) => `#${r.number}`).join(' · ')} breadcrumbs={crumbs} />
      <CompareView runs={wire.runs} curves={wire.curves} />
    </>
  );
}
