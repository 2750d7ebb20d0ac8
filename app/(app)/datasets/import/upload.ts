/**
 * The browser side of the import API: open an import, PUT each file with upload
 * progress (XMLHttpRequest: fetch has no upload progress), complete or cancel.
 * The session cookie authenticates these same-origin calls.
 */

export type ApiErrorBody = { error?: { code?: string; message?: string; fields?: { field: string; message: string }[] } };

export class ImportApiError extends Error {
  constructor(
    message: string,
    public readonly status: number,
    public readonly code?: string,
    public readonly fields?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'ImportApiError';
  }
}

export type StartedImport = {
  versionId: string;
  datasetName: string;
  uploadUrls: Record<string, string>;
  completeUrl: string;
  statusUrl: string;
};

export type CompletedImport = { duplicate: false; version: { id: string; status: string } } | { duplicate: true; version: { id: string; version: number; status: string } };

function errorFrom(status: number, body: unknown, fallback: string): ImportApiError {
  const error = (body as ApiErrorBody | null)?.error;
  return new ImportApiError(error?.message ?? `${fallback} (HTTP ${status}).`, status, error?.code, error?.fields);
}

async function json(res: Response): Promise<unknown> {
  return res.json().catch(() => null);
}

export async function startImport(input: { dataset: string; description?: string; files: { name: string; bytes: number }[] }, signal?: AbortSignal): Promise<StartedImport> {
  const res = await fetch('/api/v1/datasets/imports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input), signal });
  const body = await json(res);
  if (!res.ok) throw errorFrom(res.status, body, 'The import could not be started');
  return body as StartedImport;
}

export async function completeImport(url: string): Promise<CompletedImport> {
  const res = await fetch(url, { method: 'POST' });
  const body = await json(res);
  if (!res.ok) throw errorFrom(res.status, body, 'The import could not be completed');
  return body as CompletedImport;
}

/** Best effort: the server also sweeps abandoned uploads after two minutes. */
export async function cancelImport(versionId: string): Promise<void> {
  await fetch(`/api/v1/datasets/imports/${encodeURIComponent(versionId)}`, { method: 'DELETE' }).catch(() => undefined);
}

/** PUT one file as the raw body; `onProgress` gets the bytes sent so far. Rejects with an AbortError when `signal` aborts. */
export function uploadFile(url: string, file: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<{ name: string; bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      settle();
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as { name: string; bytes: number; sha256: string });
      else reject(errorFrom(xhr.status, body, 'The upload was refused'));
    };
    xhr.onerror = () => {
      settle();
      reject(new ImportApiError('The connection was lost during the upload.', 0));
    };
    xhr.onabort = () => {
      settle();
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
    };
    xhr.send(file);
  });
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
