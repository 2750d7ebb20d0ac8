import type { Metadata } from 'next';
import Link from 'next/link';
import { Activity } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Monitoring' };

export default async function MonitoringPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Monitoring" description="Latency, traffic, real-world accuracy and drift of deployed models." />
      <EmptyState
        icon={<Activity />}
        title="No traffic to show yet"
        description="Once a model serves predictions, this page charts requests, latency percentiles, errors, live accuracy from feedback labels and data drift, with alert rules."
      >
        <Button asChild variant="outline">
          <Link href="/deployments">Go to deployments</Link>
        </Button>
      </EmptyState>
    </>
  );
}
