import type { Metadata } from 'next';
import Link from 'next/link';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { PageHeader } from '@/components/ui/page-header';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { listDatasets } from '@/server/services/datasets/read-datasets';
import { ImportForm } from './import-form';

export const metadata: Metadata = { title: 'Import data' };

const STEPS = [
  { title: 'Upload', text: 'Files stream to storage, never into memory. Nothing is visible yet.' },
  { title: 'Validate', text: 'Header, types, code sets, ranges and basket consistency. Errors reject the import with examples.' },
  { title: 'Version', text: 'Typed Parquet layers and a profile are written; the version gets the next number. Same content as an existing version is recognised, not stored twice.' },
];

export default async function ImportPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  const [ctx, params] = await Promise.all([pageContext(), searchParams]);
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'datasets:write');
  const datasets = (await listDatasets(ctx)).map((d) => ({ name: d.name, latestVersion: d.latest?.version ?? null }));
  return (
    <>
      <PageHeader
        breadcrumbs={[{ label: 'Datasets', href: '/datasets' }, { label: 'Import' }]}
        title="Import data"
        description="Upload dunnhumby-format weekly transaction files. They are validated, versioned and profiled in the background."
      />
      {canWrite ? (
        <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
          <ImportForm datasets={datasets} initialDataset={typeof params.dataset === 'string' ? params.dataset : ''} />
          <aside className="grid gap-6" aria-label="About imports">
            <Card>
              <CardHeader>
                <CardTitle as="h2">What happens next</CardTitle>
              </CardHeader>
              <CardContent>
                <ol className="grid gap-3">
                  {STEPS.map((step, i) => (
                    <li key={step.title} className="flex gap-3 text-sm">
                      <span className="flex size-5 shrink-0 items-center justify-center rounded-full border border-border bg-subtle text-[11px] font-medium tabular-nums text-muted-foreground" aria-hidden="true">
                        {i + 1}
                      </span>
                      <div>
                        <p className="font-medium">{step.title}</p>
                        <p className="text-muted-foreground">{step.text}</p>
                      </div>
                    </li>
                  ))}
                </ol>
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle as="h2">File format</CardTitle>
                <CardDescription>
                  <code className="font-mono text-xs">transactions_YYYYWW.csv</code> or <code className="font-mono text-xs">.csv.gz</code>, with the 22-column header
                  (SHOP_WEEK … STORE_REGION). Only CUST_CODE, seg_1 and seg_2 may be blank.
                </CardDescription>
              </CardHeader>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle as="h2">From the command line</CardTitle>
                <CardDescription>Large folders import faster from the machine that holds them.</CardDescription>
              </CardHeader>
              <CardContent>
                <CodeBlock code={'npm run mlops -- data import \\\n  <folder> --name <name>'} language="bash" />
              </CardContent>
            </Card>
          </aside>
        </div>
      ) : (
        <Callout variant="warning" title="Your role cannot import data">
          Viewers and approvers can browse datasets but not add to them. Ask an admin or an ML engineer. <Link href="/datasets">Back to datasets</Link>
        </Callout>
      )}
    </>
  );
}
