import { describe, expect, it } from 'vitest';
import { readInvitation, signInvitation, type InvitationClaims } from './invitations';

const claims: InvitationClaims = { factoryId: 'f1', email: 'erin@acme.example', role: 'ENGINEER', issuedAt: 1_000, expiresAt: 10_000 };

describe('invitation codes', () => {
  it('round-trips its claims under the same secret', () => {
    expect(readInvitation('s1', signInvitation('s1', claims), 5_000)).toEqual(claims);
  });

  it('refuses another secret, an altered claim, and an expired code', () => {
    const code = signInvitation('s1', claims);
    expect(() => readInvitation('s2', code, 5_000)).toThrow(/not valid/);
    const [body, mac] = code.slice(4).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
    expect(body).not.toBe(forged);
    expect(() => readInvitation('s1', `gsi_${forged}.${mac}`, 5_000)).toThrow(/not valid/);
    expect(() => readInvitation('s1', code, 10_000)).toThrow(/expired/);
    expect(() => readInvitation('s1', 'gsi_garbage', 5_000)).toThrow(/not valid/);
  });
});
