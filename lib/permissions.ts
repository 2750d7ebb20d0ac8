/**
 * Who may do what. One table shared by the server (which enforces it on every
 * mutation) and the UI (which only uses it to hide controls a role cannot use).
 */
export const ROLES = ['admin', 'ml_engineer', 'approver', 'viewer'] as const;
export type RoleName = (typeof ROLES)[number];

export const API_KEY_SCOPES = ['read', 'write', 'predict'] as const;
export type ApiKeyScopeName = (typeof API_KEY_SCOPES)[number];

export const PERMISSIONS = [
  'read',
  'users:manage',
  'settings:write',
  'keys:create',
  'keys:manage-all',
  'datasets:write',
  'runs:write',
  'models:register',
  'models:approve',
  'deployments:write',
  'alerts:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ENGINEER: Permission[] = ['read', 'keys:create', 'datasets:write', 'runs:write', 'models:register', 'deployments:write', 'alerts:write'];

export const ROLE_PERMISSIONS: Record<RoleName, ReadonlySet<Permission>> = {
  // Admins can do everything; approving still obeys the four-eyes rule.
  admin: new Set(PERMISSIONS),
  ml_engineer: new Set(ENGINEER),
  approver: new Set<Permission>(['read', 'models:approve']),
  viewer: new Set<Permission>(['read']),
};

/**
 * What an API key may do: `read` reads; `write` adds its owner's write permissions
 * except identity administration (a leaked key must not mint users or keys);
 * `predict` only calls the prediction API.
 */
const NOT_VIA_KEYS: ReadonlySet<Permission> = new Set(['users:manage', 'keys:create', 'keys:manage-all', 'settings:write']);

export function keyPermissions(ownerRole: RoleName, scopes: readonly ApiKeyScopeName[]): Set<Permission> {
  const granted = new Set<Permission>();
  const owner = ROLE_PERMISSIONS[ownerRole];
  if (scopes.includes('read') || scopes.includes('write')) granted.add('read');
  if (scopes.includes('write')) {
    for (const permission of owner) if (!NOT_VIA_KEYS.has(permission)) granted.add(permission);
  }
  return granted;
}

export function roleCan(role: RoleName, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
