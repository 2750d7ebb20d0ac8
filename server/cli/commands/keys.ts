import 'server-only';
import type { Command } from 'commander';
import { AppError } from '@/server/errors';
import { createApiKey } from '@/server/services/api-keys/create-api-key';
import { listApiKeys } from '@/server/services/api-keys/list-api-keys';
import { revokeApiKey } from '@/server/services/api-keys/revoke-api-key';
import { parseList, withRuntime } from '../command';
import type { CliRuntime } from '../runtime';
import { printJson, table } from '../output';

/** The key's owner: --user, else the oldest active admin (the installation's first admin). */
async function resolveOwner(rt: CliRuntime, email?: string) {
  const owner = email
    ? await rt.db.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } })
    : await rt.db.user.findFirst({ where: { role: 'admin', isActive: true }, orderBy: { createdAt: 'asc' }, select: { id: true } });
  if (!owner) throw new AppError('NOT_FOUND', email ? `No user with email ${email}` : 'No active admin exists yet: create one with `users create` or start the platform once.');
  return owner.id;
}

export function registerKeys(program: Command) {
  const keys = program.command('keys').description('manage API keys (sent as "Authorization: Bearer <secret>")');

  keys
    .command('create')
    .description('create an API key; the secret is printed once')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci-pipeline"')
    .requiredOption('--scopes <scopes>', 'comma-separated: read,write,predict')
    .option('--user <email>', 'owner of the key (default: the first admin)')
    .option('--expires-in-days <days>', 'expire the key after this many days')
    .option('--json', 'print JSON: { id, name, scopes, secret, ... }')
    .action((o: { name: string; scopes: string; user?: string; expiresInDays?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const expiresInDays = o.expiresInDays === undefined ? undefined : Number(o.expiresInDays);
        const key = await createApiKey(rt.ctx, { name: o.name, scopes: parseList(o.scopes), ownerId: await resolveOwner(rt, o.user), ...(expiresInDays !== undefined ? { expiresInDays } : {}) });
        if (o.json) return printJson({ id: key.id, name: key.name, scopes: key.scopes, prefix: key.prefix, owner: key.owner.email, expiresAt: key.expiresAt, secret: key.secret });
        console.log(`Created API key "${key.name}" (${key.scopes.join(', ')}) for ${key.owner.email}, id ${key.id}.`);
        console.log(`Secret (shown once; store it now): ${key.secret}`);
      }),
    );

  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action((o: { all?: boolean; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const rows = await listApiKeys(rt.ctx, { includeRevoked: Boolean(o.all) });
        if (o.json) return printJson(rows);
        console.log(table(rows.map((k) => ({ ...k, owner: k.owner.email, status: k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt < new Date() ? 'expired' : 'active' })), ['id', 'name', 'prefix', 'scopes', 'owner', 'status', 'lastUsedAt', 'expiresAt']));
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key at once')
    .argument('<id>', 'key id (see `keys list`)')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const key = await revokeApiKey(rt.ctx, id);
        if (o.json) return printJson(key);
        console.log(`Revoked API key "${key.name}".`);
      }),
    );
}
