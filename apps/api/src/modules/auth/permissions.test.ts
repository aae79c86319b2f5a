import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../schema';
import { authorize } from './authorize';
import { listOperations } from './enforce-permissions';
import { describeRequirement, OPERATION_PERMISSIONS } from './permissions';

describe('operation permissions', () => {
  it('declares what every operation needs (review changes to this snapshot as permission changes)', () => {
    const schema = buildSchema();
    const lines = listOperations(schema)
      .sort()
      .map((op) => `${op.padEnd(34)} ${describeRequirement(OPERATION_PERMISSIONS[op]!)}`);
    expect(lines.join('\n')).toMatchSnapshot();
  });

  it('refuses to build a schema with an undeclared operation, or a declaration without an operation', () => {
    const extra = [{ typeDefs: 'extend type Query { secretSauce: Int }', resolvers: { Query: { secretSauce: () => 42 } } }];
    expect(() => buildSchema({ extra })).toThrow(/No permission declared for Query.secretSauce/);
    const stale = { ...OPERATION_PERMISSIONS, 'Mutation.launchMissiles': { access: 'public' as const } };
    expect(() => buildSchema({ permissions: stale })).toThrow(/Mutation.launchMissiles/);
  });

  it('ranks roles ADMIN > ENGINEER > MANAGER > VIEWER and checks API key scopes', () => {
    const req = { access: 'factory' as const, role: 'MANAGER' as const, scope: 'results:read' as const };
    const user = (role: 'ADMIN' | 'ENGINEER' | 'MANAGER' | 'VIEWER') =>
      ({ kind: 'user', role, factoryId: 'f', userId: 'u', email: 'e', sessionId: 's' }) as const;
    expect(() => authorize(user('ADMIN'), req, 'op')).not.toThrow();
    expect(() => authorize(user('MANAGER'), req, 'op')).not.toThrow();
    expect(() => authorize(user('VIEWER'), req, 'op')).toThrow(/needs the MANAGER role/);
    const key = (scopes: 'results:read'[]) => ({ kind: 'apiKey', factoryId: 'f', apiKeyId: 'k', apiKeyName: 'n', scopes }) as const;
    expect(() => authorize(key(['results:read']), req, 'op')).not.toThrow();
    expect(() => authorize(key([]), req, 'op')).toThrow(/"results:read" scope/);
    expect(() => authorize({ kind: 'anonymous' }, req, 'op')).toThrow(/needs credentials/);
    expect(() => authorize({ kind: 'account', userId: 'u', email: 'e', sessionId: 's' }, req, 'op')).toThrow(/x-factory-id/);
  });
});
