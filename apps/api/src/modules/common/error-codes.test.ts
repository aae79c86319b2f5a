// The schema's ErrorCode enum is the one list of error codes: the client generates its type
// from it, docs/API.md documents it, and every code a resolver can raise must be in it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gql } from '../../graphql-runtime';
import { buildSchema } from '../../schema';
import type { ApiErrorCode } from '../auth/api-errors';

const enumValues = () => {
  const type = buildSchema().getType('ErrorCode');
  if (!gql.isEnumType(type)) throw new Error('no ErrorCode enum in the schema');
  return type.getValues().map((v) => v.name).sort();
};

describe('ErrorCode', () => {
  it('holds every code apiError() can raise', () => {
    // A Record over the union: adding a code to api-errors.ts without listing it here fails to compile.
    const raised: Record<ApiErrorCode, true> = {
      UNAUTHENTICATED: true,
      FORBIDDEN: true,
      NOT_FOUND: true,
      BAD_USER_INPUT: true,
      BAD_IMAGE: true,
      CONFLICT: true,
      RATE_LIMITED: true,
    };
    expect(enumValues()).toEqual(expect.arrayContaining(Object.keys(raised)));
  });

  it('is exactly the table of codes in docs/API.md', async () => {
    const docs = await readFile(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../docs/API.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Errors'), docs.indexOf('\n## ', docs.indexOf('## Errors') + 1));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(enumValues());
  });
});
