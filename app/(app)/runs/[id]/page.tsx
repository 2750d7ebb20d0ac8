import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { roleCan } from '@/lib/permissions';
import { pageContext } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { getRun, getRunCurves, getRunLogs } from '@/server/services/runs/read-runs';
import type { Curves, LogLine, RunView } from '../_components/types';
import { RunLive } from './run-live';

export const metadata: Metadata = { title: 'Training run' };

/** The first render has everything; the client keeps it live from there. */
export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext();
  let run;
  try {
    run = await getRun(ctx, decodeURIComponent(id));
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  const [curves, logs] = await Promise.all([getRunCurves(ctx, [run.id]), getRunLogs(ctx, run.id, { limit: 2000 })]);
  const canWrite = ctx.actor.kind === 'user' && roleCan(ctx.actor.role, 'runs:write');
  const wire = <T,>(v: unknown) => JSON.parse(JSON.stringify(v)) as T;
  return (
    <RunLive
      key={run.id}
      initial={wire<RunView>(run)}
      initialCurves={wire<Curves>(curves[run.id] ?? {})}
      initialLogs={wire<{ logs: LogLine[]; cursor: string | null }>(logs)}
      canWrite={canWrite}
    />
  );
}
