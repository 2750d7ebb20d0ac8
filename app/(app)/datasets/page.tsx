import type { Metadata } from 'next';
import { Database } from 'lucide-react';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { pageContext } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Datasets' };

export default async function DatasetsPage() {
  await pageContext();
  return (
    <>
      <PageHeader title="Datasets" description="Transaction data, validated, versioned and profiled before any model sees it." />
      <EmptyState
        icon={<Database />}
        title="No datasets yet"
        description="A dataset is a set of dunnhumby-format weekly transaction files (transactions_YYYYWW.csv or .csv.gz, 22 columns). Each import becomes an immutable, content-hashed version with a data-quality report and a profile."
      />
    </>
  );
}
