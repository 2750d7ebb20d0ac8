'use client';

import * as React from 'react';
import { Pencil } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { fieldError, type ActionState } from '@/lib/action-result';
import type { RetrainSettingView } from '@/lib/retrain';
import { updateRetrainAction } from './actions';

export type RetrainChoices = {
  runs: { id: string; number: number; name: string; algorithm: string; macroF1: number | null; dataset: string }[];
  deployments: { name: string; model: { name: string; version: number; runNumber: number } | null }[];
};

const KEEP = 'keep';

/** Turn retraining on or off, and choose the template (a run, or the model a deployment serves) and the candidate deployment. */
export function RetrainEditor({ setting, choices }: { setting: RetrainSettingView; choices: RetrainChoices }) {
  const [editing, setEditing] = React.useState(false);
  const [enabled, setEnabled] = React.useState(setting.enabled || !setting.template);
  const [template, setTemplate] = React.useState(setting.template ? KEEP : '');
  const [candidate, setCandidate] = React.useState(setting.candidateFor ?? '');
  const [state, setState] = React.useState<ActionState<{ enabled: boolean }>>(null);
  const [pending, startTransition] = React.useTransition();
  const serving = choices.deployments.filter((d) => d.model);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      const input = !enabled
        ? { enabled: false }
        : {
            enabled: true,
            ...(template.startsWith('run:') ? { fromRun: template.slice(4) } : {}),
            ...(template.startsWith('deployment:') ? { fromDeployment: template.slice(11) } : {}),
            candidateFor: candidate || null,
          };
      const result = await updateRetrainAction(setting.dataset, input);
      setState(result);
      if (result?.ok) setEditing(false);
    });
  };

  if (!editing) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="outline" size="sm" onClick={() => { setState(null); setEditing(true); }}>
          <Pencil aria-hidden="true" />
          {setting.template ? 'Change' : 'Set up retraining'}
        </Button>
        {state?.ok ? <span role="status" className="text-xs text-success-soft-foreground">Retraining is {state.data.enabled ? 'on' : 'off'}.</span> : null}
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="grid gap-4 rounded-lg border border-border bg-subtle p-4" noValidate aria-label="Retrain when a new version arrives">
      {state && !state.ok && !state.error.fields ? <Callout variant="danger">{state.error.message}</Callout> : null}
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} className="mt-0.5 size-4 accent-[var(--color-primary)]" />
        <span>
          <span className="font-medium">Retrain when a new version arrives</span>
          <span className="block text-xs text-muted-foreground">Only versions imported from now on; turning it off keeps the template.</span>
        </span>
      </label>
      {enabled ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Template" hint="Algorithm, parameters and seed are copied now; later runs or deploys do not change them." error={fieldError(state, 'fromRun') ?? fieldError(state, 'fromDeployment')}>
            <Select
              value={template}
              onChange={(e) => {
                setTemplate(e.target.value);
                // A deployed model as the template: by default its retrains are candidates for that deployment.
                if (e.target.value.startsWith('deployment:') && !candidate) setCandidate(e.target.value.slice(11));
              }}
            >
              {setting.template ? <option value={KEEP}>Keep the current template ({setting.template.algorithm}{setting.template.sourceRun ? `, run #${setting.template.sourceRun.number}` : ''})</option> : <option value="">Choose a run or a deployed model…</option>}
              {serving.length ? (
                <optgroup label="The model a deployment serves">
                  {serving.map((d) => (
                    <option key={d.name} value={`deployment:${d.name}`}>{d.name}: {d.model!.name} v{d.model!.version} (run #{d.model!.runNumber})</option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label="A succeeded run">
                {choices.runs.map((r) => (
                  <option key={r.id} value={`run:${r.id}`}>#{r.number} {r.name} — {r.algorithm}, {r.dataset}{r.macroF1 !== null ? `, macro F1 ${r.macroF1.toFixed(3)}` : ''}</option>
                ))}
              </optgroup>
            </Select>
          </Field>
          <Field label="Candidate for" hint="The deployment whose model a retrained version may replace, after approval." error={fieldError(state, 'candidateFor')}>
            <Select value={candidate} onChange={(e) => setCandidate(e.target.value)}>
              <option value="">No particular deployment</option>
              {choices.deployments.map((d) => (
                <option key={d.name} value={d.name}>{d.name}</option>
              ))}
            </Select>
          </Field>
        </div>
      ) : null}
      <p className="text-xs text-muted-foreground">Retrained models are registered with their KPI gates and wait for an approver; you cannot approve one you set up (four-eyes).</p>
      <div className="flex gap-2">
        <Button type="submit" loading={pending}>Save</Button>
        <Button variant="ghost" onClick={() => { setEditing(false); setState(null); }}>Cancel</Button>
      </div>
    </form>
  );
}
