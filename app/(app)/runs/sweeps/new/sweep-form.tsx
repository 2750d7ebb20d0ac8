'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { SlidersHorizontal } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ActionError } from '@/lib/action-result';
import type { ParamSpec } from '@/ml/estimators';
import { launchSweepAction } from '../../actions';
import { paramErrors, rangeHint } from '../../_components/param-fields';
import type { AlgorithmOption, DatasetOption } from '../../_components/types';

type Dim = { list: string; mode: 'list' | 'range'; min: string; max: string; log: boolean };

const isNumeric = (p: ParamSpec) => p.type === 'number' || p.type === 'integer';
const toNumber = (s: string) => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

function suggestedList(p: ParamSpec): string {
  if (p.type === 'boolean') return 'true, false';
  if (p.type === 'enum') return (p.options ?? []).join(', ');
  return String(p.default);
}

function parseList(p: ParamSpec, text: string) {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (p.type === 'boolean' ? s === 'true' : isNumeric(p) ? toNumber(s) : s));
}

const fieldMessage = (error: ActionError | null, field: string) => error?.fields?.filter((f) => f.field === field).map((f) => f.message).join(' ') || undefined;

/** A sweep: which parameters to search and how (grid lists, or random ranges/lists), with a budget. */
export function SweepForm({ datasets, algorithms, defaultAlgorithm }: { datasets: DatasetOption[]; algorithms: AlgorithmOption[]; defaultAlgorithm: string }) {
  const router = useRouter();
  const [versionId, setVersionId] = React.useState(datasets[0]?.versions[0]?.id ?? '');
  const [algorithm, setAlgorithm] = React.useState(defaultAlgorithm);
  const spec = algorithms.find((a) => a.algorithm === algorithm) ?? algorithms[0]!;
  const [strategy, setStrategy] = React.useState<'grid' | 'random'>('grid');
  const [dims, setDims] = React.useState<Record<string, Dim>>({});
  const [budget, setBudget] = React.useState('8');
  const [concurrency, setConcurrency] = React.useState('2');
  const [metric, setMetric] = React.useState('macro_f1');
  const [name, setName] = React.useState('');
  const [error, setError] = React.useState<ActionError | null>(null);
  const [pending, startTransition] = React.useTransition();

  const toggle = (p: ParamSpec, on: boolean) =>
    setDims((d) => {
      const next = { ...d };
      if (on) next[p.name] = { list: suggestedList(p), mode: isNumeric(p) && strategy === 'random' ? 'range' : 'list', min: String(p.min ?? ''), max: String(p.max ?? ''), log: Boolean(p.log) };
      else delete next[p.name];
      return next;
    });
  const update = (n: string, patch: Partial<Dim>) => setDims((d) => ({ ...d, [n]: { ...d[n]!, ...patch } }));

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const space = Object.fromEntries(
      Object.entries(dims).map(([n, d]) => {
        const p = spec.params.find((x) => x.name === n)!;
        if (strategy === 'random' && d.mode === 'range' && isNumeric(p)) return [n, { min: toNumber(d.min), max: toNumber(d.max), log: d.log }];
        return [n, parseList(p, d.list)];
      }),
    );
    const input = { dataset: versionId, algorithm, strategy, space, budget: toNumber(budget), concurrency: toNumber(concurrency), metric, ...(name.trim() ? { name: name.trim() } : {}) };
    startTransition(async () => {
      const result = await launchSweepAction(input);
      if (result?.ok) router.push(`/runs/sweeps/${result.data.id}`);
      else if (result) setError(result.error);
    });
  };
  const perParam = paramErrors(error?.fields);

  return (
    <form onSubmit={submit} noValidate className="grid gap-6" aria-label="Launch a sweep">
      {error ? <Callout variant="danger" title="The sweep was not launched">{error.message}</Callout> : null}
      <Card>
        <CardHeader>
          <CardTitle>Data and algorithm</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <Field label="Dataset version" error={fieldMessage(error, 'dataset')}>
            <Select value={versionId} onChange={(e) => setVersionId(e.target.value)}>
              {datasets.map((d) => (
                <optgroup key={d.name} label={d.name}>
                  {d.versions.map((v) => (
                    <option key={v.id} value={v.id}>{d.name} {v.label}</option>
                  ))}
                </optgroup>
              ))}
            </Select>
          </Field>
          <Field label="Algorithm" hint={spec.summary}>
            <Select value={algorithm} onChange={(e) => { setAlgorithm(e.target.value); setDims({}); }}>
              {algorithms.map((a) => (
                <option key={a.algorithm} value={a.algorithm}>{a.label}</option>
              ))}
            </Select>
          </Field>
          <Field label="Strategy" hint={strategy === 'grid' ? 'Every combination of the listed values (a random subset when there are more than the budget).' : 'Each run draws every parameter from its range or list.'}>
            <Select value={strategy} onChange={(e) => { const s = e.target.value as 'grid' | 'random'; setStrategy(s); setDims((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, { ...v, mode: s === 'grid' ? 'list' : v.mode }]))); }}>
              <option value="grid">Grid</option>
              <option value="random">Random</option>
            </Select>
          </Field>
          <Field label="Metric" hint="The best run is the one with the highest value.">
            <Select value={metric} onChange={(e) => setMetric(e.target.value)}>
              <option value="macro_f1">Macro F1</option>
              <option value="accuracy">Accuracy</option>
            </Select>
          </Field>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Search space</CardTitle>
          <CardDescription>Tick the parameters to search; the others keep their defaults.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-2">
          {fieldMessage(error, 'space') ? <p className="text-xs font-medium text-danger-soft-foreground">{fieldMessage(error, 'space')}</p> : null}
          <ul className="divide-y divide-border rounded-md border border-border">
            {spec.params.map((p) => {
              const d = dims[p.name];
              return (
                <li key={p.name} className="grid gap-2 px-3 py-2.5 sm:grid-cols-[14rem_1fr] sm:items-start">
                  <label className="flex items-start gap-2 text-sm">
                    <input type="checkbox" checked={Boolean(d)} onChange={(e) => toggle(p, e.target.checked)} className="mt-0.5 size-4 accent-[var(--color-primary)]" aria-label={`Search ${p.name}`} />
                    <span>
                      <span className="font-mono text-[13px] font-medium">{p.name}</span>
                      <span className="block text-xs text-muted-foreground">{p.type}{rangeHint(p) ? `, ${rangeHint(p)}` : ''}</span>
                    </span>
                  </label>
                  {d ? (
                    <div className="grid gap-1">
                      {strategy === 'random' && isNumeric(p) ? (
                        <div className="flex flex-wrap items-center gap-2 text-sm">
                          <Select aria-label={`${p.name} search`} value={d.mode} onChange={(e) => update(p.name, { mode: e.target.value as Dim['mode'] })} containerClassName="w-28">
                            <option value="range">range</option>
                            <option value="list">list</option>
                          </Select>
                          {d.mode === 'range' ? (
                            <>
                              <Input aria-label={`${p.name} min`} value={d.min} onChange={(e) => update(p.name, { min: e.target.value })} className="w-24 font-mono" />
                              <span className="text-muted-foreground">to</span>
                              <Input aria-label={`${p.name} max`} value={d.max} onChange={(e) => update(p.name, { max: e.target.value })} className="w-24 font-mono" />
                              <label className="flex items-center gap-1.5 text-xs">
                                <input type="checkbox" checked={d.log} onChange={(e) => update(p.name, { log: e.target.checked })} className="size-4 accent-[var(--color-primary)]" />
                                log scale
                              </label>
                            </>
                          ) : null}
                        </div>
                      ) : null}
                      {!(strategy === 'random' && isNumeric(p) && d.mode === 'range') ? (
                        <Input aria-label={`${p.name} values`} value={d.list} onChange={(e) => update(p.name, { list: e.target.value })} placeholder="comma-separated values" className="font-mono" />
                      ) : null}
                      {perParam[p.name] || fieldMessage(error, `space.${p.name}`) ? <p className="text-xs font-medium text-danger-soft-foreground">{perParam[p.name] ?? fieldMessage(error, `space.${p.name}`)}</p> : null}
                    </div>
                  ) : (
                    <p className="text-xs text-muted-foreground sm:pt-0.5">{p.help} Default {String(p.default)}.</p>
                  )}
                </li>
              );
            })}
          </ul>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Budget</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-3">
          <Field label="Runs at most" hint="1–200." error={fieldMessage(error, 'budget')}>
            <Input value={budget} inputMode="numeric" onChange={(e) => setBudget(e.target.value)} className="font-mono" />
          </Field>
          <Field label="At a time" hint="Runs in flight together, 1–16." error={fieldMessage(error, 'concurrency')}>
            <Input value={concurrency} inputMode="numeric" onChange={(e) => setConcurrency(e.target.value)} className="font-mono" />
          </Field>
          <Field label="Name" hint="Optional." error={fieldMessage(error, 'name')}>
            <Input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          </Field>
        </CardContent>
      </Card>
      <div>
        <Button type="submit" loading={pending} disabled={!versionId || Object.keys(dims).length === 0}>
          {pending ? null : <SlidersHorizontal aria-hidden="true" />}
          {pending ? 'Launching…' : 'Launch sweep'}
        </Button>
      </div>
    </form>
  );
}
