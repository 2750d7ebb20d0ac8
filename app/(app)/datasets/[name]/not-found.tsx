import Link from 'next/link';
import { SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export default function DatasetNotFound() {
  return (
    <>
      <PageHeader breadcrumbs={[{ label: 'Datasets', href: '/datasets' }, { label: 'Not found' }]} title="Dataset not found" />
      <EmptyState
        icon={<SearchX />}
        title="There is no dataset or version at this address"
        description="It may have been mistyped, or the link points at an import attempt that was never created. Datasets are never deleted, so pick it from the list."
      >
        <Button asChild variant="outline">
          <Link href="/datasets">Back to datasets</Link>
        </Button>
      </EmptyState>
    </>
  );
}
