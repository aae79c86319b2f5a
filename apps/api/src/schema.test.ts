// The API serves @gansight/contracts' SDL, the same text the client is generated from: nothing
// the resolvers add or drop (a scalar's description, a field) may make the two differ.
import { API_TYPE_DEFS } from '@gansight/contracts';
import { describe, expect, it } from 'vitest';
import { gql } from './graphql-runtime';
import { buildSchema } from './schema';

const print = (schema: import('graphql').GraphQLSchema) => gql.printSchema(gql.lexicographicSortSchema(schema));

describe('the served schema', () => {
  it("is the contract's SDL, descriptions included", () => {
    expect(print(buildSchema())).toBe(print(gql.buildSchema(API_TYPE_DEFS.join('\n'))));
  });

  it('parses and serialises DateTime as an ISO 8601 instant in UTC', () => {
    const type = buildSchema().getType('DateTime');
    if (!gql.isScalarType(type)) throw new Error('no DateTime scalar');
    expect(type.serialize(new Date('2026-11-29T06:20:00+01:00'))).toBe('2026-11-29T05:20:00.000Z');
    expect(type.parseValue('2026-11-29T05:20:00Z')).toEqual(new Date('2026-11-29T05:20:00Z'));
    expect(() => type.parseValue('yesterday')).toThrow(/ISO 8601/);
  });
});
