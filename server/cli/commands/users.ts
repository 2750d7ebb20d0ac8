import 'server-only';
import type { Command } from 'commander';
import { AppError } from '@/server/errors';
import { createUser } from '@/server/services/users/create-user';
import { findUserByEmail, listUsers } from '@/server/services/users/list-users';
import { resetUserPassword } from '@/server/services/users/passwords';
import { deactivateUser, reactivateUser } from '@/server/services/users/set-user-active';
import { updateUserRole } from '@/server/services/users/update-user-role';
import { withRuntime } from '../command';
import type { CliRuntime } from '../runtime';
import { printJson, table } from '../output';

async function userIdByEmail(rt: CliRuntime, email: string) {
  const user = await findUserByEmail(rt.ctx, email);
  if (!user) throw new AppError('NOT_FOUND', `No user with email ${email}`);
  return user.id;
}

export function registerUsers(program: Command) {
  const users = program.command('users').description('manage users (runs as the local operator, with admin rights)');

  users
    .command('create')
    .description('create a user; prints a generated password once unless --password is given')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', 'admin | ml_engineer | approver | viewer')
    .option('--name <name>', 'display name (default: the part of the email before @)')
    .option('--password <password>', 'initial password (at least 12 characters); prefer the generated one')
    .option('--json', 'print JSON')
    .action((o: { email: string; role: string; name?: string; password?: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const { user, generatedPassword } = await createUser(rt.ctx, { email: o.email, role: o.role, name: o.name ?? o.email.split('@')[0], ...(o.password ? { password: o.password } : {}) });
        if (o.json) return printJson({ ...user, password: generatedPassword });
        console.log(`Created ${user.email} (${user.role}).`);
        if (generatedPassword) console.log(`Password (shown once): ${generatedPassword}`);
      }),
    );

  users
    .command('list')
    .description('list users')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const rows = await listUsers(rt.ctx);
        if (o.json) return printJson(rows);
        console.log(table(rows.map((u) => ({ ...u, status: u.isActive ? 'active' : 'deactivated' })), ['email', 'name', 'role', 'status', 'lastLoginAt']));
      }),
    );

  users
    .command('set-role')
    .description("change a user's role (signs them out everywhere)")
    .requiredOption('--email <email>')
    .requiredOption('--role <role>', 'admin | ml_engineer | approver | viewer')
    .option('--json', 'print JSON')
    .action((o: { email: string; role: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const user = await updateUserRole(rt.ctx, { userId: await userIdByEmail(rt, o.email), role: o.role });
        if (o.json) return printJson(user);
        console.log(`${user.email} is now ${user.role}.`);
      }),
    );

  for (const [name, fn, done] of [['deactivate', deactivateUser, 'deactivated'], ['reactivate', reactivateUser, 'reactivated']] as const) {
    users
      .command(name)
      .description(`${name} a user`)
      .requiredOption('--email <email>')
      .option('--json', 'print JSON')
      .action((o: { email: string; json?: boolean }) =>
        withRuntime(Boolean(o.json), async (rt) => {
          const user = await fn(rt.ctx, { userId: await userIdByEmail(rt, o.email) });
          if (o.json) return printJson(user);
          console.log(`${user.email} ${done}.`);
        }),
      );
  }

  users
    .command('reset-password')
    .description('set a new generated password for a user (printed once) and sign them out everywhere')
    .requiredOption('--email <email>')
    .option('--json', 'print JSON')
    .action((o: { email: string; json?: boolean }) =>
      withRuntime(Boolean(o.json), async (rt) => {
        const result = await resetUserPassword(rt.ctx, { userId: await userIdByEmail(rt, o.email) });
        if (o.json) return printJson(result);
        console.log(`New password for ${result.email} (shown once): ${result.password}`);
      }),
    );
}
