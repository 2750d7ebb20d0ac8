'use client';

import * as React from 'react';
import { useRouter } from 'next/navigation';
import { Rocket } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ActionError } from '@/lib/action-result';
import { launchRunAction } from '../actions';
import { defaultDraft, draftToParams, paramErrors, ParamFields, type ParamDraft } from '../_components/param-fields';
import type { AlgorithmOption, DatasetOption } from '../_components/types';

const fieldMessage = (error: ActionError | null, field: string) => error?.fields?.filter((f) => f.field === field || f.field.startsWith(`${field}.`)).map((f) => f.message).join(' ') || undefined;

/** Dataset, algorithm, then a form generated from that algorithm's parameter specs. */
export function LaunchForm({ datasets, algorithms, defaultAlgorithm, initialDataset }: { datasets: DatasetOption[]; algorithms: AlgorithmOption[]; defaultAlgorithm: string; initialDataset?: string }) {
  const router = useRouter();
  const [datasetName, setDatasetName] = React.useState(initialDataset && datasets.some((d) => d.name === initialDataset) ? initialDataset : (datasets[0]?.name ?? ''));
  const dataset = datasets.find((d) => d.name === datasetName);
  const [versionId, setVersionId] = React.useState(dataset?.versions[0]?.id ?? '');
  const [algorithm, setAlgorithm] = React.useState(defaultAlgorithm);
  const spec = algorithms.find((a) => a.algorithm === algorithm) ?? algorithms[0]!;
  const [draft, setDraft] = React.useState<ParamDraft>(() => defaultDraft(spec.params));
  const [seed, setSeed] = React.useState('42');
  const [name, setName] = React.useState('');
  const [tags, setTags] = React.useState('');
  const [error, setError] = React.useState<ActionError | null>(null);
  const [pending, startTransition] = React.useTransition();

  const chooseAlgorithm = (a: string) => {
    setAlgorithm(a);
    setDraft(defaultDraft(algorithms.find((x) => x.algorithm === a)?.params ?? []));
    setError(null);
  };
  const chooseDataset = (n: string) => {
    setDatasetName(n);
    setVersionId(datasets.find((d) => d.name === n)?.versions[0]?.id ?? '');
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const seedText = seed.trim();
    const input = {
      dataset: versionId,
      algorithm,
      params: draftToParams(spec.params, draft),
      seed: seedText !== '' && Number.isFinite(Number(seedText)) ? Number(seedText) : seedText,
      ...(name.trim() ? { name: name.trim() } : {}),
      tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
    };
    startTransition(async () => {
      const result = await launchRunAction(input);
      if (result?.ok) router.push(`/runs/${result.data.id}`);
      else if (result) setError(result.error);
    });
  };

  const perParam = paramErrors(error?.fields);
  const unplaced = error && (!error.fields || (Object.keys(perParam).length === 0 && !['dataset', 'seed', 'name', 'tags'].some((f) => fieldMessage(error, f))));

  return (
    <form onSubmit={submit} noValidate className="grid gap-6" aria-label="Launch a training run">
      {unplaced ? <Callout variant="danger" title="The run was not launched">{error.message}</Callout> : null}
      <Card>
        <CardHeader>
          <CardTitle>Data and algorithm</CardTitle>
          <CardDescription>Runs train on the weeks before the last ones and are tested on those last weeks (a time split, as in production).</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-2">
          <Field label="Dataset" error={fieldMessage(error, 'dataset')}>
            <Select value={datasetName} onChange={(e) => chooseDataset(e.target.value)}>
              {datasets.map((d) => (
                <option key={d.name} value={d.name}>{d.name}</option>
              ))}
            </Select>
          </Field>
          <Field label="Version" hint="Only ready versions can be trained on.">
            <Select value={versionId} onChange={(e) => setVersionId(e.target.value)}>
              {(dataset?.versions ?? []).map((v) => (
                <option key={v.id} value={v.id}>{v.label}</option>
              ))}
            </Select>
          </Field>
          <Field label="Algorithm" hint={spec.summary} error={fieldMessage(error, 'algorithm')} className="sm:col-span-2">
            <Select value={algorithm} onChange={(e) => chooseAlgorithm(e.target.value)}>
              {algorithms.map((a) => (
                <option key={a.algorithm} value={a.algorithm}>{a.label}</option>
              ))}
            </Select>
          </Field>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Parameters</CardTitle>
          <CardDescription>Every field starts at its default; ranges are checked again on the server.</CardDescription>
        </CardHeader>
        <CardContent>
          <ParamFields key={algorithm} params={spec.params} draft={draft} onChange={(n, v) => setDraft((d) => ({ ...d, [n]: v }))} errors={perParam} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Run</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 sm:grid-cols-3">
          <Field label="Name" hint="Optional; defaults to “algorithm on dataset”." error={fieldMessage(error, 'name')}>
            <Input value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Seed" hint="Same seed, same data, same model." error={fieldMessage(error, 'seed')}>
            <Input value={seed} inputMode="numeric" onChange={(e) => setSeed(e.target.value)} className="font-mono" />
          </Field>
          <Field label="Tags" hint="Comma-separated, e.g. baseline, week-12." error={fieldMessage(error, 'tags')}>
            <Input value={tags} onChange={(e) => setTags(e.target.value)} />
          </Field>
        </CardContent>
      </Card>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" loading={pending} disabled={!versionId}>
          {pending ? null : <Rocket aria-hidden="true" />}
          {pending ? 'Launching…' : 'Launch run'}
        </Button>
        {error && !unplaced ? <p className="text-sm text-danger-soft-foreground">Not launched: check the highlighted fields.</p> : null}
      </div>
    </form>
  );
}
