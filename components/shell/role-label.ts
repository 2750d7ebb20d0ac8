export type Role = 'admin' | 'ml_engineer' | 'approver' | 'viewer';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  ml_engineer: 'ML engineer',
  approver: 'Approver',
  viewer: 'Viewer',
};

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}
