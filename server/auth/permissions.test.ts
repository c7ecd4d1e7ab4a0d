import { describe, expect, it } from 'vitest';
import { Capability } from '../contract/auth.ts';
import { authorise } from './permissions.ts';

const as = (role: 'viewer' | 'responder' | 'planner' | 'admin') => ({ role, name: role });

describe('authorise', () => {
  it('asks a caller without a token to sign in (401), whatever the capability', () => {
    for (const capability of Capability.options) expect(authorise(undefined, capability)?.code).toBe('unauthorized');
  });

  it('lets an administrator do everything', () => {
    for (const capability of Capability.options) expect(authorise(as('admin'), capability)).toBeNull();
  });

  it('refuses a role without the capability (403), naming the roles that have it', () => {
    expect(authorise(as('viewer'), 'incidents:write')).toEqual({ code: 'forbidden', message: 'the viewer role may not do this; it needs one of: responder, admin' });
    expect(authorise(as('responder'), 'parcels:write')?.message).toBe('the responder role may not do this; it needs one of: planner, admin');
    expect(authorise(as('planner'), 'tokens:manage')?.message).toBe('the planner role may not do this; it needs one of: admin');
  });

  it('lets every role read the city and nothing reserved for another', () => {
    for (const role of ['viewer', 'responder', 'planner'] as const) expect(authorise(as(role), 'city:read')).toBeNull();
    expect(authorise(as('planner'), 'personal-data:read')?.code).toBe('forbidden');
    expect(authorise(as('responder'), 'personal-data:read')).toBeNull();
  });
});
