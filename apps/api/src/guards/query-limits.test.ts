import { describe, expect, it } from 'vitest';
import { gql } from '../graphql-runtime';
import { queryLimitsRule } from './query-limits';

const schema = gql.buildSchema(`
  type Part { id: ID! name: String parent: Part children(first: Int = 10): [Part!]! }
  type Query { part: Part parts(first: Int = 20): [Part!]! }
`);
const limits = { maxDepth: 4, maxCost: 500, maxPageSize: 100 };
const check = (query: string) => gql.validate(schema, gql.parse(query), [queryLimitsRule(limits)]).map((e) => e.message);

describe('query limits', () => {
  it('accepts ordinary queries', () => {
    expect(check('{ part { id parent { id parent { name } } } }')).toEqual([]);
    expect(check('{ parts(first: 10) { id children(first: 5) { id } } }')).toEqual([]);
  });

  it('refuses nesting deeper than the limit, also through fragments', () => {
    expect(check('{ part { parent { parent { parent { parent { id } } } } } }')[0]).toMatch(/nested 6 levels deep; the limit is 4/);
    expect(check('fragment F on Part { parent { parent { parent { id } } } } { part { parent { ...F } } }')[0]).toMatch(/nested 6 levels/);
  });

  it('prices pages by their size and refuses expensive operations', () => {
    expect(check('{ parts(first: 100) { id children(first: 100) { id } } }')[0]).toMatch(/could resolve about \d+ fields; the limit is 500/);
    // A page size given as a variable is priced at the largest page allowed.
    expect(check('query($n: Int) { parts(first: $n) { id name children { id } } }')[0]).toMatch(/limit is 500/);
    // Defaults count too: 20 parts x 10 children.
    expect(check('{ parts { children { id name } } }')[0]).toBeUndefined();
    const aliased = Array.from({ length: 30 }, (_, i) => `p${i}: parts(first: 20) { id }`).join(' ');
    expect(check(`{ ${aliased} }`)[0]).toMatch(/limit is 500/);
  });

  it('does not count introspection fields', () => {
    expect(check('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toEqual([]);
  });
});
