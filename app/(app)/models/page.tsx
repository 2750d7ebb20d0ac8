import type { Metadata } from 'next';
import Link from 'next/link';
import { Boxes } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Models' };

export default async function ModelsPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Models" description="Registered model versions, their KPI gates and approval status." />
      <EmptyState
        icon={<Boxes />}
        title="No registered models yet"
        description="Register a finished run as a model version. Its KPI gates (accuracy, macro F1, per-class precision) are checked automatically, and an approver other than its trainer signs it off."
      >
        <Button asChild variant="outline">
          <Link href="/runs">Go to runs</Link>
        </Button>
      </EmptyState>
    </>
  );
}
