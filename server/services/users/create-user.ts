import 'server-only';
import { generatePassword, hashPassword } from '@/server/auth/password';
import { conflict, parseInput } from '@/server/errors';
import { recordAudit } from '../audit/record-audit';
import { assertCan, type ServiceContext } from '../context';
import { createUserInput, PUBLIC_USER_FIELDS } from './schemas';

/** Create a user directly (admin UI, CLI). Returns the generated password once when none was given. */
export async function createUser(ctx: ServiceContext, input: unknown) {
  assertCan(ctx, 'users:manage');
  const data = parseInput(createUserInput, input);
  const password = data.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw conflict(`A user with email ${data.email} already exists`);
    }
    const created = await tx.user.create({
      data: { email: data.email, name: data.name, role: data.role, passwordHash },
      select: PUBLIC_USER_FIELDS,
    });
    await recordAudit(tx, ctx, {
      action: 'user.create',
      entityType: 'user',
      entityId: created.id,
      summary: `Created user ${created.email} with role ${created.role}`,
      after: { email: created.email, name: created.name, role: created.role },
    });
    return created;
  });
  return { user, generatedPassword: data.password ? null : password };
}
