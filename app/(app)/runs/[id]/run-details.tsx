import Link from 'next/link';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { formatParam } from '@/lib/charts/runs';
import { formatBytes, shortHash } from '@/lib/datasets/format';
import { formatDateTime } from '@/lib/utils';
import { Detail, DetailList } from '../../datasets/_components/detail-list';
import type { RunView } from '../_components/types';

/** Parameters and lineage: what was trained, on what, by which code, and where the model is. */
export function RunDetails({ run }: { run: RunView }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Parameters</CardTitle>
        </CardHeader>
        <CardContent>
          <table className="w-full text-sm">
            <caption className="sr-only">Parameters of the run</caption>
            <tbody className="divide-y divide-border">
              {Object.entries(run.params).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" className="py-1.5 pr-4 text-left font-mono text-[13px] font-normal text-muted-foreground">{k}</th>
                  <td className="py-1.5 text-right font-mono text-[13px] tabular-nums">{formatParam(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Lineage</CardTitle>
        </CardHeader>
        <CardContent>
          <DetailList>
            <Detail label="Dataset">
              <Link href={`/datasets/${encodeURIComponent(run.dataset.name)}/versions/${run.dataset.versionId}`} className="font-mono hover:underline">
                {run.dataset.label}
              </Link>
            </Detail>
            <Detail label="Content hash">
              <span className="font-mono text-[13px]" title={run.datasetDetail.contentHash ?? undefined}>{shortHash(run.datasetDetail.contentHash)}</span>
            </Detail>
            <Detail label="Seed"><span className="font-mono">{run.seed}</span></Detail>
            <Detail label="Code version"><span className="font-mono text-[13px]">{run.codeVersion ?? '—'}</span></Detail>
            <Detail label="Worker"><span className="font-mono text-[13px]">{run.workerId ?? '—'}</span></Detail>
            <Detail label="Attempts">{run.attempts} of {run.maxAttempts}</Detail>
            <Detail label="Started">{run.startedAt ? formatDateTime(run.startedAt) : '—'}</Detail>
            <Detail label="Finished">{run.finishedAt ? formatDateTime(run.finishedAt) : '—'}</Detail>
            <Detail label="Artifact" wide>
              {run.artifactUri ? (
                <span className="flex items-center gap-2">
                  <span className="min-w-0 truncate font-mono text-[13px]" title={run.artifactUri}>{run.artifactUri}</span>
                  <CopyButton text={run.artifactUri} label="Copy artifact URI" iconOnly />
                </span>
              ) : (
                '—'
              )}
            </Detail>
            <Detail label="Artifact sha256" wide>
              <span className="font-mono text-[13px]" title={run.artifactSha256 ?? undefined}>{run.artifactSha256 ? `${shortHash(run.artifactSha256, 16)}…` : '—'}</span>
              {run.artifactBytes ? <span className="ml-2 text-xs text-muted-foreground">{formatBytes(run.artifactBytes)}</span> : null}
            </Detail>
            {run.modelVersion ? (
              <Detail label="Registered model" wide>v{run.modelVersion.version} ({run.modelVersion.status})</Detail>
            ) : null}
          </DetailList>
        </CardContent>
      </Card>
    </div>
  );
}
