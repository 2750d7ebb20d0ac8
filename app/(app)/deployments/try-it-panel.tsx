'use client';

import * as React from 'react';
import { Check, Dices, Send, X } from 'lucide-react';
import { ProbabilityBars } from '@/components/charts/probability-bars';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { probabilityBars } from '@/lib/charts/deployments';
import { isLabelCode, LABEL_STYLES } from '@/lib/charts/labels';
import { formatNumber } from '@/lib/datasets/format';
import { cn } from '@/lib/utils';
import { sampleBasketAction, tryPredictionAction, type SampledBasket, type TryAnswer } from './actions';

type Prediction = { requestId: string; model: { versionId: string; name: string; version: number }; prediction: { label: string; probabilities: Record<string, number> } };
type ApiError = { error: { code: string; message: string; fields?: { field: string; message: string }[]; requestId?: string } };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asPrediction = (body: unknown): Prediction | null => (isObject(body) && isObject(body.prediction) && isObject(body.model) ? (body as Prediction) : null);
const asError = (body: unknown): ApiError | null => (isObject(body) && isObject(body.error) && typeof body.error.message === 'string' ? (body as ApiError) : null);
const labelName = (label: string) => (isLabelCode(label) ? LABEL_STYLES[label].name : null);
const LABEL_NAMES = Object.fromEntries(Object.entries(LABEL_STYLES).map(([k, v]) => [k, v.name]));

/** A shell-safe single-quoted curl body. */
function curlFor(url: string, basketText: string) {
  let body: string;
  try {
    body = JSON.stringify({ basket: JSON.parse(basketText) });
  } catch {
    body = '{"basket": …}';
  }
  return [`curl -X POST ${url} \\`, '  -H "Authorization: Bearer $PRICESENSE_API_KEY" \\', '  -H "Content-Type: application/json" \\', `  -d '${body.replace(/'/g, `'\\''`)}'`].join('\n');
}

export type TryTarget = { name: string; url: string | null };

/**
 * "Try it": pick a real basket from the serving model's dataset, edit it if you
 * like, send it to the deployment's prediction API and see the answer as a
 * program would, including 4xx validation messages.
 */
export function TryItPanel({ targets }: { targets: TryTarget[] }) {
  const [name, setName] = React.useState(targets[0]?.name ?? 'production');
  const [text, setText] = React.useState('');
  const [sample, setSample] = React.useState<SampledBasket | null>(null);
  const [answer, setAnswer] = React.useState<TryAnswer | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState<'pick' | 'send' | null>(null);
  const [, startTransition] = React.useTransition();
  const target = targets.find((t) => t.name === name);

  const pick = () => {
    setBusy('pick');
    startTransition(async () => {
      setError(null);
      const result = await sampleBasketAction(name);
      if (result?.ok) {
        setSample(result.data);
        setText(JSON.stringify(result.data.basket, null, 2));
        setAnswer(null);
      } else setError(result?.error.message ?? 'Could not pick a basket.');
      setBusy(null);
    });
  };

  const send = () => {
    let basket: unknown;
    try {
      basket = JSON.parse(text);
    } catch (e) {
      setError(`The basket is not valid JSON: ${(e as Error).message}`);
      return;
    }
    setBusy('send');
    startTransition(async () => {
      setError(null);
      const result = await tryPredictionAction(name, basket);
      if (result?.ok) setAnswer(result.data);
      else {
        setAnswer(null);
        setError(result?.error.message ?? 'Could not send the basket.');
      }
      setBusy(null);
    });
  };

  const url = answer?.url ?? (target?.url ? `${target.url}/v1/predict` : 'http://<inference-service>/v1/predict');

  return (
    <Card role="region" aria-labelledby="try-it-title">
      <CardHeader>
        <CardTitle id="try-it-title">Try it</CardTitle>
        <CardDescription>Send one basket to the prediction API of {name}, as a program would, and see its answer.</CardDescription>
        {targets.length > 1 ? (
          <CardAction>
            <Select aria-label="Deployment to try" value={name} onChange={(e) => { setName(e.target.value); setAnswer(null); }} containerClassName="w-40">
              {targets.map((t) => (
                <option key={t.name} value={t.name}>{t.name}</option>
              ))}
            </Select>
          </CardAction>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-6 lg:grid-cols-2">
        <div className="grid content-start gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="outline" onClick={pick} loading={busy === 'pick'} disabled={busy !== null}>
              {busy === 'pick' ? null : <Dices aria-hidden="true" />}
              Pick a basket
            </Button>
            <Button onClick={send} loading={busy === 'send'} disabled={busy !== null || !text.trim()}>
              {busy === 'send' ? null : <Send aria-hidden="true" />}
              Send
            </Button>
          </div>
          {sample ? (
            <p className="text-xs text-muted-foreground">
              A basket from <span className="font-mono">{sample.dataset}</span>
              {sample.trueLabel ? (
                <>
                  {' '}· true label <span className="font-mono font-medium text-foreground">{sample.trueLabel}</span>
                  {labelName(sample.trueLabel) ? ` (${labelName(sample.trueLabel)})` : ''}
                </>
              ) : null}
              . Edit it to see how the API answers.
            </p>
          ) : (
            <p className="text-xs text-muted-foreground">Pick a real basket from the serving model&apos;s dataset, or paste one.</p>
          )}
          {error ? <p role="alert" className="rounded-lg border border-danger-border bg-danger-soft px-3 py-2 text-sm text-danger-soft-foreground">{error}</p> : null}
          <Field label="Basket (JSON)" hint="The request body's basket: context codes and product lines.">
            <Textarea rows={14} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} className="font-mono text-xs leading-5" placeholder='{ "basketId": "…", "lines": [ … ] }' />
          </Field>
        </div>
        <div className="grid min-w-0 content-start gap-4">
          {answer ? <Answer answer={answer} trueLabel={sample?.trueLabel ?? null} /> : (
            <div className="flex min-h-40 items-center justify-center rounded-lg border border-dashed border-input px-6 text-center text-sm text-muted-foreground">
              The answer appears here.
            </div>
          )}
          <div className="grid min-w-0 gap-1.5">
            <p className="text-xs font-medium text-muted-foreground">The same request with curl (an API key with the predict scope in $PRICESENSE_API_KEY)</p>
            <CodeBlock code={curlFor(url, text)} language="bash" />
          </div>
        </div>
      </CardContent>
    </Card>
  );
}

function Answer({ answer, trueLabel }: { answer: TryAnswer; trueLabel: string | null }) {
  const prediction = asPrediction(answer.body);
  const apiError = asError(answer.body);
  const meta = (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-xs sm:grid-cols-4">
      <div><dt className="text-muted-foreground">HTTP status</dt><dd className={cn('font-mono font-medium', answer.status >= 400 && 'text-danger-soft-foreground')}>{answer.status}</dd></div>
      <div><dt className="text-muted-foreground">Round trip</dt><dd className="font-mono">{formatNumber(answer.roundTripMs, 1)} ms</dd></div>
      {prediction ? <div><dt className="text-muted-foreground">Model</dt><dd className="font-mono">{prediction.model.name} v{prediction.model.version}</dd></div> : null}
      {prediction || apiError?.error.requestId ? (
        <div className="col-span-2 min-w-0 sm:col-span-1"><dt className="text-muted-foreground">Request id</dt><dd className="truncate font-mono" title={prediction?.requestId ?? apiError?.error.requestId}>{prediction?.requestId ?? apiError?.error.requestId}</dd></div>
      ) : null}
    </dl>
  );
  if (prediction) {
    const label = prediction.prediction.label;
    const correct = trueLabel ? trueLabel === label : null;
    return (
      <section aria-label="Prediction" className="grid gap-4 rounded-lg border border-border bg-subtle p-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <p className="text-xs font-medium text-muted-foreground">Predicted label</p>
            <p className="flex items-baseline gap-2">
              <span className="font-mono text-4xl font-semibold tracking-tight" data-testid="predicted-label">{label}</span>
              <span className="text-sm text-muted-foreground">{labelName(label)}</span>
            </p>
          </div>
          {trueLabel ? (
            <p className={cn('inline-flex items-center gap-1 text-sm font-medium', correct ? 'text-success-soft-foreground' : 'text-danger-soft-foreground')}>
              {correct ? <Check className="size-4" aria-hidden="true" /> : <X className="size-4" aria-hidden="true" />}
              True label {trueLabel}{correct ? ': right' : ': wrong'}
            </p>
          ) : null}
        </div>
        <ProbabilityBars bars={probabilityBars(prediction.prediction.probabilities, label)} names={LABEL_NAMES} />
        {meta}
      </section>
    );
  }
  return (
    <section aria-label="Error answer" className="grid gap-3">
      <Callout variant="danger" title={`HTTP ${answer.status}${apiError ? ` · ${apiError.error.code}` : ''}`}>
        <p>{apiError ? apiError.error.message : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)}</p>
        {apiError?.error.fields?.length ? (
          <ul className="mt-2 grid gap-1">
            {apiError.error.fields.map((f) => (
              <li key={`${f.field}:${f.message}`}>
                <span className="font-mono font-medium">{f.field}</span> {f.message}
              </li>
            ))}
          </ul>
        ) : null}
      </Callout>
      {meta}
    </section>
  );
}
