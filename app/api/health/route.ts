import { NextResponse } from 'next/server';
import { getRuntime } from '@/server/runtime';
import { getHealth } from '@/server/services/health/get-health';

export const dynamic = 'force-dynamic';

/** Liveness and dependency status for load balancers and people: 200 when usable, 503 when the database or storage is down. */
export async function GET() {
  try {
    const runtime = await getRuntime();
    const report = await getHealth({ db: runtime.db, storage: runtime.storage });
    return NextResponse.json(report, { status: report.status === 'down' ? 503 : 200, headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return NextResponse.json(
      { status: 'down', checkedAt: new Date().toISOString(), database: { ok: false, latencyMs: -1, detail: (error as Error).message }, storage: { ok: false, kind: 'unknown', detail: 'not checked' }, workers: { ok: false, active: 0, detail: 'not checked' } },
      { status: 503, headers: { 'cache-control': 'no-store' } },
    );
  }
}
