// The schema's TypeScript types are committed (ADR 0056): this fails when the SDL changed
// without `npm run generate -w @gansight/contracts`.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_TYPES_FILE, generateSchemaTypes } from './generate-schema-types';

describe('@gansight/contracts generated schema types', () => {
  it('src/generated/schema-types.ts is the SDL as it is now', async () => {
    const committed = await readFile(SCHEMA_TYPES_FILE, 'utf8');
    const fresh = await generateSchemaTypes();
    expect(committed === fresh, 'packages/contracts/src/generated/schema-types.ts is stale: run `npm run generate -w @gansight/contracts` and commit the result').toBe(true);
  });

  it('types every argument of a root field the way the SDL declares it', async () => {
    const code = await generateSchemaTypes();
    // Required ID, and optional arguments that may also arrive as null.
    expect(code).toMatch(/export type MutationUpdateDefectTypeArgs = \{\n(?:.*\n)*?  description\?: InputMaybe<Scalars\['String'\]\['input'\]>;\n  id: Scalars\['ID'\]\['input'\];\n/);
  });
});
