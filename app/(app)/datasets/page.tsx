import type { Metadata } from 'next';
import Link from 'next/link';
import { Database, Upload } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TBody, TD, TH, THead, TR } from '@/components/ui/table';
import { formatCompact, formatInt, formatWeekRange } from '@/lib/datasets/format';
import { roleCan } from '@/lib/permissions';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { pageContext } from '@/server/auth/session';
import { listDatasets } from '@/server/services/datasets/read-datasets';

export const metadata: Metadata = { title: 'Datasets' };

function ImportButton() {
  return (
    <Button asChild>
      <Link href="/datasets/import">
        <Upload aria-hidden="true" />
        Import data
      </Link>
    </Button>
  );
}

export default async function DatasetsPage() {
  const ctx = await pageContext();
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'datasets:write');
  const datasets = await listDatasets(ctx);
  const description = 'Transaction data, validated, versioned and profiled before any model sees it.';

  if (datasets.length === 0) {
    return (
      <>
        <PageHeader title="Datasets" description={description} actions={canWrite ? <ImportButton /> : null} />
        <EmptyState
          icon={<Database />}
          title="No datasets yet"
          description="A dataset is a set of dunnhumby-format weekly transaction files (transactions_YYYYWW.csv or .csv.gz, 22 columns). Each import becomes an immutable, content-hashed version with a data-quality report and a profile."
          command="npm run mlops -- data import <folder> --name <name>"
        >
          {canWrite ? <ImportButton /> : null}
          <div className="mt-2 grid w-full max-w-md gap-2 text-left">
            <p className="text-xs text-muted-foreground">No data at hand? Generate synthetic transactions calibrated to the real sample, then import the file:</p>
            <CodeBlock code="npm run mlops -- data generate --rows 500000 --seed 1 --out demo.csv.gz" prompt />
          </div>
        </EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Datasets"
        description={description}
        meta={<Badge variant="neutral">{datasets.length}</Badge>}
        actions={canWrite ? <ImportButton /> : null}
      />
      <div className="overflow-hidden rounded-lg border border-border bg-card shadow-xs">
        <Table>
          <THead>
            <TR>
              <TH>Dataset</TH>
              <TH>Latest</TH>
              <TH numeric>Rows</TH>
              <TH numeric className="hidden md:table-cell">Baskets</TH>
              <TH className="hidden lg:table-cell">Weeks</TH>
              <TH numeric className="hidden md:table-cell">Versions</TH>
              <TH className="hidden sm:table-cell">Updated</TH>
            </TR>
          </THead>
          <TBody>
            {datasets.map((d) => {
              const href = `/datasets/${encodeURIComponent(d.name)}`;
              const latest = d.latest;
              return (
                <TR key={d.id}>
                  <TD className="max-w-[16rem] whitespace-normal sm:max-w-md">
                    <Link href={href} className="font-medium text-foreground hover:underline focus-visible:underline">
                      {d.name}
                    </Link>
                    {d.description ? <p className="mt-0.5 line-clamp-1 text-xs text-muted-foreground" title={d.description}>{d.description}</p> : null}
                  </TD>
                  <TD>
                    {latest ? (
                      <Link href={`${href}/versions/${latest.id}`} className="font-mono text-[13px] hover:underline">
                        v{latest.version}
                      </Link>
                    ) : (
                      <Badge variant="neutral">no ready version</Badge>
                    )}
                  </TD>
                  <TD numeric title={latest?.rowCount !== null && latest ? `${formatInt(latest.rowCount)} rows` : undefined}>
                    {formatCompact(latest?.rowCount)}
                  </TD>
                  <TD numeric className="hidden md:table-cell">{formatCompact(latest?.basketCount)}</TD>
                  <TD className="hidden text-muted-foreground lg:table-cell">{formatWeekRange(latest?.minWeek, latest?.maxWeek)}</TD>
                  <TD numeric className="hidden md:table-cell">{d.versionCount}</TD>
                  <TD className="hidden text-muted-foreground sm:table-cell">
                    <time dateTime={new Date(d.updatedAt).toISOString()} title={formatDateTime(d.updatedAt)}>
                      {formatRelative(d.updatedAt)}
                    </time>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </div>
      {canWrite ? (
        <p className="mt-4 text-xs text-muted-foreground">
          Scripts and CI can import too: <code className="font-mono">npm run mlops -- data import &lt;folder&gt; --name &lt;name&gt;</code>
        </p>
      ) : null}
    </>
  );
}
