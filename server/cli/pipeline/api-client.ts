import 'server-only';

/**
 * The control plane's REST API as the delivery pipeline sees it: a base URL and
 * an API key (Authorization: Bearer). Errors keep the API's code and message, so
 * the pipeline can say exactly what was refused and why.
 */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the API could not be reached. */
    public readonly status: number,
    public readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth another try: the API was unreachable or briefly unavailable (a web rollout, a load balancer hiccup). */
  get transient() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export type ApiClient = {
  readonly baseUrl: string;
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
};

export function createApiClient(opts: { baseUrl: string; apiKey: string; fetch?: typeof fetch; timeoutMs?: number }): ApiClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers: { authorization: `Bearer ${opts.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const { cause } = error as { cause?: { code?: string; message?: string } };
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new ApiError(`${method} ${path}: could not reach the control plane at ${baseUrl} (${why})`, 0, 'UNREACHABLE');
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): reported below as text.
    }
    if (!response.ok) {
      const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
      const message = err?.message ?? (text.slice(0, 200) || response.statusText);
      throw new ApiError(`${method} ${path}: ${response.status} ${err?.code ?? ''} ${message}`.replace(/\s+/g, ' ').trim(), response.status, err?.code ?? 'HTTP_ERROR');
    }
    return parsed as T;
  }

  return {
    baseUrl,
    get: (path, query) => {
      const params = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
      return request('GET', params.size ? `${path}?${params}` : path);
    },
    post: (path, body) => request('POST', path, body ?? {}),
  };
}
