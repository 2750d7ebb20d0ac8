import type { Metadata } from 'next';
import Link from 'next/link';
import { Rocket } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Deployments" description="What serves predictions where, since when, and its history." />
      <EmptyState
        icon={<Rocket />}
        title="Nothing is deployed yet"
        description="Deploy an approved model to a named deployment such as production; the inference service picks it up, verifies it and swaps it in without dropping requests. Rollback is one click."
      >
        <Button asChild variant="outline">
          <Link href="/models">Go to models</Link>
        </Button>
      </EmptyState>
    </>
  );
}
