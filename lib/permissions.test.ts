import { describe, expect, it } from 'vitest';
import { keyPermissions, roleCan } from './permissions';

describe('role permissions', () => {
  it('matches the documented roles', () => {
    expect(roleCan('admin', 'users:manage')).toBe(true);
    expect(roleCan('ml_engineer', 'users:manage')).toBe(false);
    expect(roleCan('ml_engineer', 'runs:write')).toBe(true);
    expect(roleCan('ml_engineer', 'models:approve')).toBe(false);
    expect(roleCan('approver', 'models:approve')).toBe(true);
    expect(roleCan('approver', 'keys:create')).toBe(false);
    expect(roleCan('viewer', 'read')).toBe(true);
    for (const p of ['users:manage', 'keys:create', 'datasets:write', 'runs:write', 'models:register', 'models:approve', 'deployments:write'] as const) {
      expect(roleCan('viewer', p)).toBe(false);
    }
  });

  it('gives keys only what their scopes allow, capped by the owner role', () => {
    expect([...keyPermissions('admin', ['read'])]).toEqual(['read']);
    expect(keyPermissions('ml_engineer', ['write']).has('runs:write')).toBe(true);
    expect(keyPermissions('ml_engineer', ['write']).has('models:approve')).toBe(false);
    expect(keyPermissions('admin', ['write']).has('users:manage')).toBe(false);
    expect(keyPermissions('admin', ['predict']).size).toBe(0);
  });
});
