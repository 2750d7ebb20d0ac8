'use client';

import * as React from 'react';
import Link from 'next/link';
import { Rocket } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { fieldError, type ActionState } from '@/lib/action-result';
import { DEPLOYMENT_NAME_PATTERN } from '@/lib/models';
import { deployModelAction } from '../actions';

type Deployed = { deployment: string; model: string; previous: string | null };

/** Deploy an approved version to a named deployment (production by default). */
export function DeployPanel({ modelId, label, servingIn }: { modelId: string; label: string; servingIn: string[] }) {
  const [deployment, setDeployment] = React.useState(servingIn.includes('production') ? '' : 'production');
  const [comment, setComment] = React.useState('');
  const [state, setState] = React.useState<ActionState<Deployed>>(null);
  const [pending, startTransition] = React.useTransition();
  const name = deployment.trim();
  const nameOk = DEPLOYMENT_NAME_PATTERN.test(name);
  const alreadyThere = servingIn.includes(name);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    startTransition(async () => {
      setState(await deployModelAction({ model: modelId, deployment: name, ...(comment.trim() ? { comment } : {}) }));
    });
  };
  const error = state && !state.ok ? state.error : null;

  return (
    <Card aria-labelledby="deploy-title">
      <CardHeader>
        <CardTitle id="deploy-title">Deploy {label}</CardTitle>
        <CardDescription>
          The inference service picks the new version up within seconds, checks its seal and swaps it in without dropping requests.
          {servingIn.length ? ` It serves ${servingIn.join(', ')} now.` : ''}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          {state?.ok ? (
            <Callout variant="success" title={`${state.data.deployment} now serves ${state.data.model}`}>
              {state.data.previous ? `It replaced ${state.data.previous}. ` : ''}
              <Link href="/deployments">Watch it roll out on Deployments</Link>
            </Callout>
          ) : null}
          {error && !error.fields ? <p role="alert" className="rounded-lg border border-danger-border bg-danger-soft px-3 py-2 text-sm text-danger-soft-foreground">{error.message}</p> : null}
          <Field label="Deployment" required hint={alreadyThere ? `${label} already serves ${name}.` : 'Lower-case letters, digits and dashes, e.g. production or staging.'} error={fieldError(state, 'deployment') ?? (name && !nameOk ? 'must start with a letter and use only a–z, 0–9 and dashes' : undefined)}>
            <Input value={deployment} onChange={(e) => setDeployment(e.target.value)} pattern={DEPLOYMENT_NAME_PATTERN.source} maxLength={40} autoComplete="off" spellCheck={false} className="font-mono" />
          </Field>
          <Field label="Comment" hint="Optional: why now. Shown in the deployment history." error={fieldError(state, 'comment')}>
            <Textarea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
          </Field>
          <div>
            <Button type="submit" loading={pending} disabled={!nameOk || alreadyThere}>
              {pending ? null : <Rocket aria-hidden="true" />}
              {nameOk ? `Deploy to ${name}` : 'Deploy'}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
