import Link from 'next/link';
import { CircleCheck, CircleX } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { RETRAIN_STATUS_LABELS, type RetrainSettingView, type RetrainTriggerView } from '@/lib/retrain';
import { formatDateTime, formatRelative } from '@/lib/utils';
import { ModelStatusBadge } from '../../models/_components/model-badges';
import { RunStatusBadge } from '../../runs/_components/run-status';
import { RetrainEditor, type RetrainChoices } from './retrain-editor';

const TONE = { training: 'accent', registered: 'success', run_failed: 'danger', failed: 'danger', skipped: 'warning' } as const;

function When({ at }: { at: string }) {
  return <time dateTime={at} title={formatDateTime(at)}>{formatRelative(at)}</time>;
}

/** One retrain: the version that triggered it → its run → the registered model and its gate verdict. */
function TriggerLine({ t, base }: { t: RetrainTriggerView; base: string }) {
  return (
    <li className="grid gap-1 py-2.5 text-sm">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <Link href={`${base}/versions/${t.datasetVersion.id}`} className="font-mono font-medium hover:underline">v{t.datasetVersion.version}</Link>
        <Badge variant={TONE[t.status]}>{RETRAIN_STATUS_LABELS[t.status]}</Badge>
        {t.run ? (
          <>
            <span aria-hidden="true" className="text-muted-foreground">→</span>
            <Link href={`/runs/${t.run.number}`} className="font-mono hover:underline">run #{t.run.number}</Link>
            <RunStatusBadge status={t.run.status} />
          </>
        ) : null}
        {t.model ? (
          <>
            <span aria-hidden="true" className="text-muted-foreground">→</span>
            <Link href={`/models/${t.model.id}`} className="font-mono hover:underline">{t.model.name} v{t.model.version}</Link>
            <ModelStatusBadge status={t.model.status} />
            {t.model.gatesPassed ? (
              <Badge variant="success"><CircleCheck aria-hidden="true" />KPI gates passed</Badge>
            ) : (
              <Badge variant="danger"><CircleX aria-hidden="true" />fails {t.model.failedGates.join(', ')}</Badge>
            )}
          </>
        ) : null}
        <span className="text-xs text-muted-foreground">
          <When at={t.createdAt} />
          {t.candidateFor ? ` · candidate for ${t.candidateFor}` : ''}
        </span>
      </div>
      {t.message && !t.model ? <p className="text-xs text-muted-foreground">{t.message}</p> : null}
    </li>
  );
}

/** The dataset's "retrain when a new version arrives" setting, its last retrains and (for engineers and admins) the editor. */
export function RetrainCard({ setting, choices, canEdit, className }: { setting: RetrainSettingView; choices: RetrainChoices; canEdit: boolean; className?: string }) {
  const base = `/datasets/${encodeURIComponent(setting.dataset)}`;
  const t = setting.template;
  const params = t ? Object.entries(t.params).map(([k, v]) => `${k}=${String(v)}`).join(' ') : '';
  return (
    <Card className={className} aria-labelledby="retrain-title">
      <CardHeader>
        <CardTitle id="retrain-title">Retrain when a new version arrives</CardTitle>
        <CardDescription>
          Each new version starts a training run with this template; the finished model is registered with its KPI gates and waits for an approver. Nothing is approved or deployed automatically.
        </CardDescription>
        <CardAction>
          <Badge variant={setting.enabled ? 'success' : 'neutral'} dot>{setting.enabled ? 'On' : 'Off'}</Badge>
        </CardAction>
      </CardHeader>
      <CardContent className="grid gap-4">
        {t ? (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-muted-foreground">Template</dt>
            <dd>
              <span className="font-mono">{t.algorithm}</span>, seed {t.seed}, copied from {t.source === 'deployment' ? 'the deployed model of ' : ''}
              {t.sourceRun ? (
                <>
                  <Link href={`/runs/${t.sourceRun.number}`} className="font-mono hover:underline">run #{t.sourceRun.number}</Link> ({t.sourceRun.dataset})
                </>
              ) : 'a run since removed'}
            </dd>
            <dt className="text-muted-foreground">Parameters</dt>
            <dd className="font-mono text-xs break-words text-muted-foreground">{params}</dd>
            <dt className="text-muted-foreground">Candidate for</dt>
            <dd>{setting.candidateFor ?? <span className="text-muted-foreground">no particular deployment</span>}</dd>
            {setting.enabled ? (
              <>
                <dt className="text-muted-foreground">Turned on</dt>
                <dd>
                  {setting.owner ? `by ${setting.owner} ` : 'from the CLI '}
                  {setting.enabledAt ? <When at={setting.enabledAt} /> : null}
                  <span className="text-muted-foreground"> · versions imported since then are retrained</span>
                </dd>
              </>
            ) : null}
          </dl>
        ) : (
          <p className="text-sm text-muted-foreground">Off: new versions are not retrained. {canEdit ? 'Set it up with a run or a deployed model as the template.' : 'An engineer can set it up.'}</p>
        )}
        <div>
          <h3 className="text-sm font-semibold">{setting.recent.length > 1 ? 'Recent retrains' : 'Last retrain'}</h3>
          {setting.recent.length ? (
            <ul className="divide-y divide-border">
              {setting.recent.map((r) => <TriggerLine key={r.id} t={r} base={base} />)}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-muted-foreground">None yet.</p>
          )}
        </div>
        {canEdit ? <RetrainEditor setting={setting} choices={choices} /> : null}
      </CardContent>
    </Card>
  );
}
