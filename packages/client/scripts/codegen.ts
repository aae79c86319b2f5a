// Regenerates schema.graphql and src/generated/graphql.ts after the API's schema or an
// operation in src/operations changed: `npm run codegen -w @gansight/client`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GENERATED_FILE, SDL_FILE, generateOperations, printApiSchema } from '../src/codegen/generate';

const sdl = printApiSchema();
const code = await generateOperations(sdl);
await mkdir(path.dirname(GENERATED_FILE), { recursive: true });
await writeFile(SDL_FILE, sdl);
await writeFile(GENERATED_FILE, code);
console.log(`wrote ${path.relative(process.cwd(), SDL_FILE)} and ${path.relative(process.cwd(), GENERATED_FILE)}`);
