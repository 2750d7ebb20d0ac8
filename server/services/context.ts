import 'server-only';
import { keyPermissions, ROLE_PERMISSIONS, type ApiKeyScopeName, type Permission, type RoleName } from '@/lib/permissions';
import type { StoragePort } from '@/server/adapters/storage/port';
import type { CostSourcePort } from '@/server/adapters/costs/port';
import type { ModelRegistryMirror } from '@/server/adapters/registry/port';
import type { TelemetryBackend } from '@/server/adapters/telemetry/port';
import type { TrainingBackendPort } from '@/server/adapters/training/port';
import type { JobQueue } from '@/server/jobs/queue-port';
import type { Db, DbTx } from '@/server/db/client';
import { AppError } from '@/server/errors';

/** Who is acting: a signed-in user, a program with an API key, or the system itself (CLI operator, bootstrap, worker). */
export type Actor =
  | { kind: 'user'; userId: string; email: string; name: string; role: RoleName }
  | { kind: 'api_key'; userId: string; email: string; role: RoleName; keyId: string; keyName: string; scopes: ApiKeyScopeName[] }
  | { kind: 'system'; label: string };

export type Adapters = {
  storage: StoragePort;
  /** Absent where no background work is sent (tests, some CLI commands). */
  queue?: JobQueue;
  /** Scratch space on this machine for data processing (DuckDB work, caches). */
  workDir?: string;
  /** Where runs can train: `remote` is null when SageMaker is not configured. Absent means local only. */
  training?: { remote: TrainingBackendPort | null; defaultBackend: 'local' | 'sagemaker' };
  /** AWS mode: the SageMaker Model Package Group the registry mirrors into. Absent or null locally. */
  registryMirror?: ModelRegistryMirror | null;
  /**
   * The control plane's own prediction key (derived from AUTH_SECRET), published in
   * every manifest so the "try it" panel and the traffic command can call the
   * inference service. Absent where no secret is known (some tests).
   */
  predictKey?: string;
  /** Where the local inference service listens (used when no instance has reported its own URL). */
  inferenceUrl?: string;
  /** Where cost totals come from (COST_SOURCE): the cost model or Cost Explorer. Absent: the cost model. */
  costs?: CostSourcePort;
  /** AWS mode (TELEMETRY_BACKEND=cloudwatch): CloudWatch metrics and alarms. Absent or null locally. */
  telemetry?: TelemetryBackend | null;
};

export type ServiceContext = {
  actor: Actor;
  db: Db;
  adapters: Adapters;
  requestId?: string;
  ip?: string;
  now?: () => Date;
};

export function permissionsOf(actor: Actor): ReadonlySet<Permission> {
  if (actor.kind === 'system') return new Set(ROLE_PERMISSIONS.admin);
  if (actor.kind === 'user') return ROLE_PERMISSIONS[actor.role];
  return keyPermissions(actor.role, actor.scopes);
}

export function can(actor: Actor, permission: Permission): boolean {
  return permissionsOf(actor).has(permission);
}

const DESCRIPTIONS: Record<Permission, string> = {
  read: 'read data',
  'users:manage': 'manage users',
  'settings:write': 'change settings',
  'keys:create': 'create API keys',
  'keys:manage-all': "manage other people's API keys",
  'datasets:write': 'import or change datasets',
  'runs:write': 'launch or change training runs',
  'models:register': 'register models',
  'models:approve': 'approve or reject models',
  'deployments:write': 'deploy models',
  'alerts:write': 'change alert rules',
};

export function describeActor(actor: Actor): string {
  if (actor.kind === 'system') return actor.label;
  if (actor.kind === 'user') return `${actor.email} (${actor.role})`;
  return `API key "${actor.keyName}" of ${actor.email}`;
}

/** The first line of every write: refuse with a message naming who and what. */
export function assertCan(ctx: Pick<ServiceContext, 'actor'>, permission: Permission): void {
  if (can(ctx.actor, permission)) return;
  const who = ctx.actor.kind === 'api_key' ? `This API key (scopes: ${ctx.actor.scopes.join(', ') || 'none'})` : `Your role (${ctx.actor.kind === 'user' ? ctx.actor.role : 'system'})`;
  throw new AppError('FORBIDDEN', `${who} may not ${DESCRIPTIONS[permission]}.`);
}

export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'system' ? null : actor.userId;
}

export function nowOf(ctx: Pick<ServiceContext, 'now'>): Date {
  return ctx.now ? ctx.now() : new Date();
}

export type { Db, DbTx };
