import 'server-only';
import { z } from 'zod';
import { ROLES } from '@/lib/permissions';
import { passwordSchema } from '@/server/auth/password';

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email('must be a valid email address'));
export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
export const nameSchema = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');

export const createUserInput = z.strictObject({
  email: emailSchema,
  name: nameSchema,
  role: roleSchema,
  /** Omitted: a strong password is generated and returned once. */
  password: passwordSchema.optional(),
});

export const inviteUserInput = z.strictObject({ email: emailSchema, role: roleSchema });
export const acceptInviteInput = z.strictObject({ token: z.string().min(10, 'is not a valid invite link'), name: nameSchema, password: passwordSchema });
export const changeRoleInput = z.strictObject({ userId: z.string().min(1), role: roleSchema });
export const userIdInput = z.strictObject({ userId: z.string().min(1) });
export const changePasswordInput = z.strictObject({ currentPassword: z.string().min(1, 'is required'), newPassword: passwordSchema });

/** What services return about a user: never the password hash. */
export const PUBLIC_USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  isActive: true,
  lastLoginAt: true,
  deactivatedAt: true,
  createdAt: true,
} as const;
