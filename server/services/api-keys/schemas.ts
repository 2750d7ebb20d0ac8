import 'server-only';
import { z } from 'zod';
import { API_KEY_SCOPES } from '@/lib/permissions';

export const scopesSchema = z
  .array(z.enum(API_KEY_SCOPES, { error: `each scope must be one of ${API_KEY_SCOPES.join(', ')}` }))
  .min(1, 'choose at least one scope')
  .transform((s) => [...new Set(s)]);

export const createApiKeyInput = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  scopes: scopesSchema,
  expiresInDays: z.number().int().min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
  /** Only admins (or the CLI operator) may create a key for someone else. */
  ownerId: z.string().min(1).optional(),
});

export const API_KEY_PUBLIC_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  owner: { select: { id: true, email: true, name: true } },
} as const;
