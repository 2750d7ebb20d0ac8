'use client';

import * as React from 'react';
import Link from 'next/link';
import { Upload } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Callout } from '@/components/ui/callout';
import { Card, CardContent, CardFooter } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { formatBytes, plural } from '@/lib/datasets/format';
import { datasetNameProblem, fileProblems, mergeFiles, selectionProblem } from '@/lib/datasets/import-checks';
import { FileDropZone } from './file-drop-zone';
import { FileList, type ChosenFile } from './file-list';
import { UploadProgress } from './upload-progress';
import { useImportUpload } from './use-import-upload';

export type ImportFormProps = {
  datasets: { name: string; latestVersion: number | null }[];
  initialDataset?: string;
};

export function ImportForm({ datasets, initialDataset = '' }: ImportFormProps) {
  const [name, setName] = React.useState(initialDataset);
  const [description, setDescription] = React.useState('');
  const [files, setFiles] = React.useState<ChosenFile[]>([]);
  const [submitted, setSubmitted] = React.useState(false);
  const [nameEdited, setNameEdited] = React.useState(false);
  const nextId = React.useRef(1);
  const outcomeRef = React.useRef<HTMLDivElement>(null);
  const { phase, busy, uploads, outcome, elapsedMs, run, cancel, clear } = useImportUpload();

  const trimmed = name.trim();
  const existing = datasets.find((d) => d.name === trimmed);
  const nameProblem = datasetNameProblem(name);
  const problems = fileProblems(files.map((f) => f.file));
  const selection = selectionProblem(files.map((f) => f.file));
  const hasFileProblems = problems.some(Boolean);
  const totalBytes = files.reduce((sum, f) => sum + f.file.size, 0);
  const sentBytes = uploads ? files.reduce((sum, f) => sum + Math.min(f.file.size, uploads[f.id]?.loaded ?? 0), 0) : 0;

  React.useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);

  const addFiles = (picked: File[]) => {
    clear();
    setFiles((current) => {
      const merged = mergeFiles(current.map((c) => c.file), picked);
      const known = new Map(current.map((c) => [c.file, c.id]));
      return merged.map((file) => ({ file, id: known.get(file) ?? nextId.current++ }));
    });
  };

  async function submit() {
    setSubmitted(true);
    setNameEdited(false);
    if (nameProblem || selection || hasFileProblems) return;
    const duplicate = await run({ dataset: trimmed, description: description.trim() || undefined, files });
    if (duplicate) {
      setFiles([]);
      setSubmitted(false);
    }
  }

  const reset = () => {
    clear();
    setFiles([]);
    setSubmitted(false);
  };

  const serverNameIssue = outcome?.kind === 'error' && outcome.nameIssue && !nameEdited ? `The name ${outcome.nameIssue}.` : null;
  const shownNameError = serverNameIssue ?? (submitted || (trimmed && nameProblem !== 'Enter a dataset name.') ? nameProblem : null);
  const nameHint = existing
    ? `Adds version ${(existing.latestVersion ?? 0) + 1} to the existing dataset “${existing.name}”.`
    : trimmed && !nameProblem
      ? `Creates a new dataset “${trimmed}”.`
      : 'Pick an existing dataset to add a version, or type a new name to create one. Lowercase letters, digits, “.”, “_” and “-”.';

  return (
    <Card className="py-0">
      <form
        noValidate
        aria-label="Import transaction files"
        onSubmit={(event) => {
          event.preventDefault();
          if (!busy) void submit();
        }}
      >
        <CardContent className="grid gap-5 py-5">
          <div ref={outcomeRef} tabIndex={-1} className="outline-none empty:hidden">
            {outcome?.kind === 'error' ? (
              <Callout variant="danger" title={outcome.title}>
                {outcome.message}
              </Callout>
            ) : outcome?.kind === 'cancelled' ? (
              <Callout variant="info" title="Import cancelled">
                Nothing was kept. Your files are still listed below if you want to try again.
              </Callout>
            ) : outcome?.kind === 'duplicate' ? (
              <Callout variant="success" title={`Same content as version ${outcome.version} — nothing new imported`}>
                These files hold exactly the bytes of {outcome.datasetName} v{outcome.version}, so no new version was created.{' '}
                <Link href={`/datasets/${encodeURIComponent(outcome.datasetName)}/versions/${outcome.versionId}`}>
                  Open {outcome.datasetName} v{outcome.version}
                </Link>
              </Callout>
            ) : null}
          </div>

          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="Dataset" required hint={nameHint} error={shownNameError ?? undefined} className="content-start">
              <Input
                name="dataset"
                value={name}
                onChange={(event) => {
                  setName(event.target.value);
                  setNameEdited(true);
                }}
                list="dataset-names"
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                placeholder="e.g. dunnhumby"
                disabled={busy}
                className="font-mono"
              />
            </Field>
            <datalist id="dataset-names">
              {datasets.map((d) => (
                <option key={d.name} value={d.name} />
              ))}
            </datalist>
            <Field label="Description" className="content-start" hint={existing ? 'Kept from when the dataset was created; only a new dataset takes a description.' : 'Optional: where the data comes from, what it covers.'}>
              <Textarea
                name="description"
                rows={2}
                maxLength={500}
                value={description}
                onChange={(event) => setDescription(event.target.value)}
                disabled={busy || Boolean(existing)}
                className="min-h-9"
              />
            </Field>
          </div>

          <fieldset className="grid gap-3">
            <legend className="mb-1.5 text-sm font-medium">
              Files<span className="ml-0.5 text-danger" aria-hidden="true">*</span>
            </legend>
            {busy ? null : (
              <FileDropZone onFiles={addFiles} disabled={busy} describedBy="files-status" invalid={submitted && Boolean(selection)} />
            )}
            <FileList files={files} problems={problems} uploads={uploads} onRemove={busy ? undefined : (id) => setFiles((current) => current.filter((f) => f.id !== id))} />
            <div id="files-status" className="flex flex-wrap items-center justify-between gap-2 text-xs">
              {submitted && selection ? (
                <p className="font-medium text-danger-soft-foreground">{selection}</p>
              ) : hasFileProblems ? (
                <p className="font-medium text-danger-soft-foreground">Remove or fix the files marked above before importing.</p>
              ) : files.length ? (
                <p className="text-muted-foreground tabular-nums">
                  {plural(files.length, 'file')} · {formatBytes(totalBytes)}
                </p>
              ) : (
                <p className="text-muted-foreground">No files chosen yet.</p>
              )}
              {files.length > 1 && !busy ? (
                <button type="button" onClick={reset} className="font-medium text-muted-foreground underline-offset-2 hover:text-foreground hover:underline">
                  Clear all
                </button>
              ) : null}
            </div>
          </fieldset>

          {uploads && busy ? <UploadProgress phase={phase} sentBytes={sentBytes} totalBytes={totalBytes} elapsedMs={elapsedMs} /> : null}
        </CardContent>
        <CardFooter className="flex-wrap justify-end gap-2 bg-subtle/60 py-4">
          {busy ? (
            <Button type="button" variant="outline" onClick={cancel} disabled={phase !== 'uploading' && phase !== 'starting'}>
              Cancel import
            </Button>
          ) : (
            <>
              <Button asChild variant="ghost">
                <Link href={existing ? `/datasets/${encodeURIComponent(existing.name)}` : '/datasets'}>Back</Link>
              </Button>
              <Button type="submit" disabled={files.length === 0}>
                <Upload aria-hidden="true" />
                {files.length ? `Import ${plural(files.length, 'file')}` : 'Import'}
              </Button>
            </>
          )}
        </CardFooter>
      </form>
    </Card>
  );
}
