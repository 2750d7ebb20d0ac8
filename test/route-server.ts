import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { NextRequest } from 'next/server';

/**
 * The REST API's real route handlers (app/api/v1/**\/route.ts) behind a plain
 * HTTP server, so a program under test — the CLI in a child process — talks
 * HTTP to them as it would to `next start`. No Next server: each request becomes
 * a NextRequest for the matching handler, whose Response is sent back as is.
 * The caller provides the runtime (globalThis.__pricesenseRuntime) and mocks the
 * session lookup (next-auth does not load under vitest).
 */
type Route = { pattern: RegExp; params: string[]; file: string; dynamic: number };
type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const ROOT = path.resolve(import.meta.dirname, '..');

function discover(dir: string, out: Route[] = []): Route[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) discover(full, out);
    else if (entry.name === 'route.ts') {
      const segments = path.relative(path.join(ROOT, 'app'), dir).split(path.sep);
      const params: string[] = [];
      const pattern = segments.map((s) => {
        const m = /^\[(\w+)\]$/.exec(s);
        if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        params.push(m[1]!);
        return '([^/]+)';
      });
      out.push({ pattern: new RegExp(`^/${pattern.join('/')}$`), params, file: full, dynamic: params.length });
    }
  }
  return out;
}

export async function startRouteServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  // Static segments win over dynamic ones (datasets/imports before datasets/[name]), as in Next.
  const routes = discover(path.join(ROOT, 'app', 'api', 'v1')).sort((a, b) => a.dynamic - b.dynamic);
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
        requests.push(`${req.method} ${url.pathname}`);
        const route = routes.find((r) => r.pattern.test(url.pathname));
        const routeModule = route ? ((await import(route.file)) as Record<string, Handler | undefined>) : null;
        const handler = routeModule?.[req.method ?? 'GET'];
        if (!route || !handler) {
          res.writeHead(route ? 405 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: route ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', message: `${req.method} ${url.pathname}` } }));
          return;
        }
        const values = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
        const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
        const response = await handler(new NextRequest(url, { method: req.method, headers, body }), { params: Promise.resolve(Object.fromEntries(route.params.map((p, i) => [p, values[i]!]))) });
        const out: Record<string, string> = {};
        response.headers.forEach((v, k) => (out[k] = v));
        res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
      })().catch((error: Error) => res.writeHead(500).end(error.stack));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
