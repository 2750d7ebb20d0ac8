import 'server-only';
import { createHmac } from 'node:crypto';
import { API_KEY_PREFIX } from './secrets';

/**
 * The control plane's own prediction key: derived from AUTH_SECRET, so every
 * process of one installation (web, worker, CLI) knows it without storing it, and
 * it changes when the secret is rotated. Only its hash leaves the control plane,
 * in deployment manifests.
 */
export function controlPlanePredictKey(authSecret: string): string {
  return API_KEY_PREFIX + createHmac('sha256', authSecret).update('pricesense control-plane predict key v1').digest('base64url');
}
