import type { Metadata } from 'next';
import Link from 'next/link';
import { Wallet } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Costs' };

export default async function CostsPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Costs" description="What training, serving and storage cost, against the monthly budget." />
      <EmptyState
        icon={<Wallet />}
        title="No costs recorded yet"
        description="Costs are computed from measured usage (run durations, inference uptime, stored bytes) with the AWS price list, or read from AWS Cost Explorer in AWS mode, and shown per run, per model and per 1,000 predictions."
      >
        <Button asChild variant="outline">
          <Link href="/runs">Go to runs</Link>
        </Button>
      </EmptyState>
    </>
  );
}
