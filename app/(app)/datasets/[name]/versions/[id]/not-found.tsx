import Link from 'next/link';
import { SearchX } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';

export default function VersionNotFound() {
  return (
    <>
      <PageHeader breadcrumbs={[{ label: 'Datasets', href: '/datasets' }, { label: 'Not found' }]} title="Version not found" />
      <EmptyState
        icon={<SearchX />}
        title="There is no dataset version with this id"
        description="The link may be mistyped or cut short. Cancelled duplicate imports keep their record, so a real id always resolves."
      >
        <Button asChild variant="outline">
          <Link href="/datasets">Back to datasets</Link>
        </Button>
      </EmptyState>
    </>
  );
}
