// The client's SDL and typed operations are committed (docs/adr/0044): this fails when the API's
// schema or an operation changed without `npm run codegen -w @gansight/client`.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GENERATED_FILE, SDL_FILE, generateOperations, printApiSchema } from './generate';

const REGENERATE = 'stale: run `npm run codegen -w @gansight/client` and commit the result';

describe('@gansight/client generated code', () => {
  it('schema.graphql is the API schema as it is now', async () => {
    const committed = await readFile(SDL_FILE, 'utf8');
    expect(committed === printApiSchema(), `packages/client/schema.graphql is ${REGENERATE}`).toBe(true);
  });

  it('src/generated/graphql.ts matches the operations and the schema', async () => {
    const committed = await readFile(GENERATED_FILE, 'utf8');
    const fresh = await generateOperations(await readFile(SDL_FILE, 'utf8'));
    expect(committed === fresh, `packages/client/src/generated/graphql.ts is ${REGENERATE}`).toBe(true);
  });

  it('refuses an operation that asks for a field the API does not have', async () => {
    const sdl = (await readFile(SDL_FILE, 'utf8')).replace(/\n  normalizedScore: Float\n/, '\n');
    await expect(generateOperations(sdl)).rejects.toThrow(/normalizedScore/);
  });
});
