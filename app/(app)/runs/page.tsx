import type { Metadata } from 'next';
import Link from 'next/link';
import { FlaskConical } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Training runs' };

export default async function RunsPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Training runs" description="Launch, watch and compare training runs and sweeps." />
      <EmptyState
        icon={<FlaskConical />}
        title="No training runs yet"
        description="A run trains one of the built-in classifiers (logistic regression, gradient boosting, random forest, decision tree) on a dataset version and records its metrics, curves and cost. Runs need a dataset first."
      >
        <Button asChild variant="outline">
          <Link href="/datasets">Go to datasets</Link>
        </Button>
      </EmptyState>
    </>
  );
}
