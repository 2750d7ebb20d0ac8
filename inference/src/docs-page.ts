import type { OpenApiDocument } from './openapi';

/**
 * GET /docs: a self-contained page (no CDN, no script) rendered on the server from
 * the OpenAPI document, so it works offline and inside a locked-down cluster.
 */
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pretty = (v: unknown) => escape(JSON.stringify(v, null, 2));
const code = (s: string) => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>');

type Operation = {
  summary?: string;
  description?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { examples?: Record<string, { summary?: string; value: unknown }> }> };
  responses: Record<string, { description: string; content?: Record<string, { example?: unknown; examples?: Record<string, { summary?: string; value: unknown }> }> }>;
};

function curl(method: string, path: string, secured: boolean, body: unknown): string {
  const parts = [`curl -sS -X ${method.toUpperCase()} "$INFERENCE_URL${path}"`];
  if (secured) parts.push('-H "Authorization: Bearer $API_KEY"');
  if (body !== undefined) parts.push("-H 'content-type: application/json'", `-d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`);
  return parts.join(' \\\n  ');
}

function renderOperation(path: string, method: string, op: Operation): string {
  const secured = op.security === undefined || op.security.length > 0;
  const examples = Object.entries(op.requestBody?.content['application/json']?.examples ?? {});
  const requests = examples.map(([name, ex]) => `<h4>Request: ${escape(ex.summary ?? name)}</h4><pre>${pretty(ex.value)}</pre><h4>curl</h4><pre>${escape(curl(method, path, secured, ex.value))}</pre>`);
  if (!examples.length) requests.push(`<h4>curl</h4><pre>${escape(curl(method, path, secured, undefined))}</pre>`);
  const responses = Object.entries(op.responses).map(([status, r]) => {
    const content = Object.values(r.content ?? {})[0];
    const shown = content?.examples ? Object.entries(content.examples).map(([name, ex]) => `<div class="ex"><span>${escape(ex.summary ?? name)}</span><pre>${pretty(ex.value)}</pre></div>`).join('')
      : content?.example !== undefined ? `<pre>${pretty(content.example)}</pre>` : '';
    return `<li><b class="s${status[0]}">${escape(status)}</b> ${code(r.description)}${shown}</li>`;
  });
  return `<section id="${escape(method + path)}">
<h2><span class="m">${escape(method.toUpperCase())}</span> ${escape(path)}</h2>
<p>${code(op.summary ?? '')}${secured ? ' <span class="lock">API key</span>' : ''}</p>
${op.description ? `<p>${code(op.description)}</p>` : ''}
${requests.join('\n')}
<h3>Responses</h3><ul>${responses.join('')}</ul>
</section>`;
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const ops = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  const nav = ops.map(({ path, method }) => `<a href="#${escape(method + path)}">${escape(method.toUpperCase())} ${escape(path)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafafa}
header{background:#1b1f24;color:#fff;padding:1.2rem 2rem}header p{margin:.3rem 0 0;color:#c9d1d9;max-width:60rem}
nav{padding:.6rem 2rem;background:#eef1f4;display:flex;gap:1rem;flex-wrap:wrap}nav a{color:#0b57d0;text-decoration:none;font-family:ui-monospace,monospace}
main{padding:0 2rem 3rem;max-width:64rem}section{border-bottom:1px solid #ddd;padding:1rem 0}
h2{font-family:ui-monospace,monospace;font-size:1.15rem}.m{background:#0b57d0;color:#fff;border-radius:4px;padding:0 .4rem;margin-right:.3rem}
pre{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;overflow:auto;font-size:13px}
code{background:#eef1f4;padding:0 .2rem;border-radius:3px}.lock{font-size:12px;background:#fff4ce;border-radius:4px;padding:0 .4rem}
.s2{color:#137333}.s4{color:#b3261e}.s5{color:#8a4b00}.ex span{font-size:13px;color:#555}ul{padding-left:1.2rem}
</style></head>
<body><header><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1><p>${code(doc.info.description)}</p>
<p>Set <code>INFERENCE_URL</code> to this service's address and <code>API_KEY</code> to your key. Machine-readable: <a style="color:#8ab4f8" href="/openapi.json">/openapi.json</a>.</p></header>
<nav>${nav}</nav>
<main>${ops.map(({ path, method, op }) => renderOperation(path, method, op)).join('\n')}</main>
</body></html>`;
}
