'use client';

import Link from 'next/link';
import { CircleAlert } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export default function DatasetsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <EmptyState
      icon={<CircleAlert />}
      title="This page could not be loaded"
      description={`Something went wrong on the server${error.digest ? ` (reference ${error.digest})` : ''}. Try again; if it keeps happening, check the server log for that reference.`}
    >
      <Button onClick={reset}>Try again</Button>
      <Button asChild variant="outline">
        <Link href="/datasets">Back to datasets</Link>
      </Button>
    </EmptyState>
  );
}
