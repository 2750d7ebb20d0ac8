import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { formatParam, type ParamValue } from '@/lib/charts/runs';
import { shortHash } from '@/lib/datasets/format';
import { formatDateTime } from '@/lib/utils';
import type { ModelDetail } from '@/server/services/models/read-models';
import { Detail, DetailList } from '../../datasets/_components/detail-list';

function Copyable({ value, label, short }: { value: string; label: string; short?: string }) {
  return (
    <span className="flex items-center gap-2">
      <span className="min-w-0 truncate font-mono text-[13px]" title={value}>{short ?? value}</span>
      <CopyButton text={value} label={label} iconOnly />
    </span>
  );
}

/** Where the version comes from: run, data, parameters, code, artifact, and its SageMaker mirror. */
export function LineageCard({ model }: { model: ModelDetail }) {
  const params = Object.entries((model.params ?? {}) as Record<string, ParamValue>);
  const dv = model.datasetVersion;
  const trainedBy = model.run.createdBy?.name || model.run.createdBy?.email;
  const registeredBy = model.registeredBy?.name || model.registeredBy?.email || 'system';
  return (
    <Card aria-labelledby="lineage-title">
      <CardHeader>
        <CardTitle id="lineage-title">Lineage</CardTitle>
        <CardDescription>Everything needed to reproduce or audit this version.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <DetailList>
          <Detail label="Training run">
            <Link href={`/runs/${model.run.number}`} className="hover:underline">
              <span className="font-mono">#{model.run.number}</span> {model.run.name}
            </Link>
          </Detail>
          <Detail label="Trained by">{trainedBy ?? 'system'}</Detail>
          <Detail label="Dataset">
            <Link href={`/datasets/${encodeURIComponent(dv.dataset.name)}/versions/${dv.id}`} className="font-mono hover:underline">
              {dv.dataset.name} v{dv.version ?? '?'}
            </Link>
          </Detail>
          <Detail label="Dataset hash">
            {model.datasetHash ? <Copyable value={model.datasetHash} label="Copy dataset hash" short={shortHash(model.datasetHash, 16)} /> : '—'}
          </Detail>
          <Detail label="Code version"><span className="font-mono text-[13px]">{model.codeVersion ?? '—'}</span></Detail>
          <Detail label="Registered">{registeredBy} · {formatDateTime(model.createdAt)}</Detail>
          <Detail label="Artifact URI" wide>
            <Copyable value={model.artifactUri} label="Copy artifact URI" />
          </Detail>
          <Detail label="Artifact sha256" wide>
            <Copyable value={model.artifactSha256} label="Copy artifact sha256" short={`${shortHash(model.artifactSha256, 24)}…`} />
          </Detail>
          {model.externalArn ? (
            <Detail label="SageMaker model package" wide>
              <Copyable value={model.externalArn} label="Copy SageMaker ARN" />
            </Detail>
          ) : null}
          {model.externalError ? (
            <Detail label="SageMaker mirror" wide>
              <span className="text-danger-soft-foreground">Not mirrored: {model.externalError}</span>
            </Detail>
          ) : null}
        </DetailList>
        {params.length ? (
          <table className="w-full text-sm">
            <caption className="mb-1.5 text-left text-xs font-medium text-muted-foreground">Parameters</caption>
            <tbody className="divide-y divide-border">
              {params.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" className="py-1.5 pr-4 text-left font-mono text-[13px] font-normal text-muted-foreground">{k}</th>
                  <td className="py-1.5 text-right font-mono text-[13px] tabular-nums">{formatParam(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </CardContent>
    </Card>
  );
}
