import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gql } from '../graphql-runtime';
import { OPERATION_PERMISSIONS } from '../modules/auth/permissions';
import { buildSchema } from '../schema';
import { ANONYMOUS_MAX_SOURCE_CHARS, ANONYMOUS_QUERY_LIMITS, anonymousLimitErrors, anonymousSourceError } from './anonymous-query-limits';

const schema = buildSchema();
const operationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../packages/client/src/operations');
const all = gql.parse(readdirSync(operationsDir).filter((f) => f.endsWith('.graphql')).map((f) => readFileSync(path.join(operationsDir, f), 'utf8')).join('\n'));
const fragments = all.definitions.filter((d) => d.kind === gql.Kind.FRAGMENT_DEFINITION);

/** The client's operations whose every root field needs no credentials, each as its own document. */
function publicOperations(): [string, DocumentNode][] {
  const ops = all.definitions.filter((d): d is OperationDefinitionNode => d.kind === gql.Kind.OPERATION_DEFINITION);
  return ops
    .filter((op) =>
      op.selectionSet.selections.every((s) => s.kind === gql.Kind.FIELD && OPERATION_PERMISSIONS[`${op.operation === 'query' ? 'Query' : 'Mutation'}.${s.name.value}`]?.access === 'public'),
    )
    .map((op) => [op.name?.value ?? '(anonymous)', { kind: gql.Kind.DOCUMENT, definitions: [op, ...fragments] }]);
}

describe('limits for requests without credentials', () => {
  it('fit every public operation the client sends (sign-in, invitations, health)', () => {
    const ops = publicOperations();
    expect(ops.map(([name]) => name)).toEqual(expect.arrayContaining(['Health', 'Login', 'AcceptInvitation']));
    for (const [name, document] of ops) {
      expect(anonymousLimitErrors(schema, document, ANONYMOUS_QUERY_LIMITS), name).toEqual([]);
      expect(anonymousSourceError(gql.print(document)), name).toBeNull();
    }
    // Tools that introspect without credentials (with introspection on) still can.
    expect(anonymousSourceError(gql.getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }))).toBeNull();
  });

  it('refuse alias fan-out with GRAPHQL_VALIDATION_FAILED, a long one before parsing it', () => {
    expect(anonymousSourceError(`{ ${'h: health { status } '.repeat(ANONYMOUS_MAX_SOURCE_CHARS / 10)} }`)?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliased = gql.parse(`{ ${Array.from({ length: 60 }, (_, i) => `h${i}: health { status }`).join(' ')} }`);
    const [error] = anonymousLimitErrors(schema, aliased, ANONYMOUS_QUERY_LIMITS);
    expect(error?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.message).toMatch(/the limit is 100\..*without credentials/);
  });
});
