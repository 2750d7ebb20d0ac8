import 'server-only';
import bcrypt from 'bcryptjs';
import { z } from 'zod';

const COST = 12;

/** bcrypt reads at most 72 bytes, so longer passwords are refused rather than silently cut. */
export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .refine((p) => Buffer.byteLength(p, 'utf8') <= 72, 'must be at most 72 bytes');

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the user does not exist, so unknown emails take as long as wrong passwords.
let dummyHash: Promise<string> | null = null;
export async function burnPasswordCheck(password: string): Promise<boolean> {
  dummyHash ??= bcrypt.hash('not-a-real-password-for-timing', COST);
  return bcrypt.compare(password, await dummyHash);
}

/** A readable random password for first-start admins and CLI-created users. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5, 10)}-${chars.slice(10, 15)}-${chars.slice(15, 20)}`;
}
