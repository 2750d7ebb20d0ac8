'use server';

import { AuthError } from 'next-auth';
import type { ActionState } from '@/lib/action-result';
import { signIn } from '@/server/auth/auth';

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Wrong email or password.',
  FORBIDDEN: 'This account is deactivated. Ask an administrator to reactivate it.',
};

/** Only same-site paths: a crafted link must not send people elsewhere after sign-in. */
function safeRedirect(value: FormDataEntryValue | null): string {
  const path = typeof value === 'string' ? value : '/';
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/login') ? path : '/';
}

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  try {
    await signIn('credentials', {
      email: formData.get('email'),
      password: formData.get('password'),
      redirectTo: safeRedirect(formData.get('callbackUrl')),
    });
    return { ok: true, data: undefined };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error; // the redirect after success
    const code = (error as AuthError & { code?: string }).code ?? '';
    if (code.startsWith('RATE_LIMITED:')) {
      const minutes = Math.max(1, Math.ceil(Number(code.split(':')[1]) / 60));
      return { ok: false, error: { code: 'RATE_LIMITED', message: `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes > 1 ? 's' : ''}.` } };
    }
    return { ok: false, error: { code: code || 'UNAUTHENTICATED', message: MESSAGES[code] ?? 'Sign-in failed. Try again.' } };
  }
}
