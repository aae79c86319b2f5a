// Regenerates src/generated/schema-types.ts after the SDL in src/graphql changed:
// `npm run generate -w @gansight/contracts` (turbo's `generate` task runs it too).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SCHEMA_TYPES_FILE, generateSchemaTypes } from '../src/codegen/generate-schema-types';

const code = await generateSchemaTypes();
await mkdir(path.dirname(SCHEMA_TYPES_FILE), { recursive: true });
await writeFile(SCHEMA_TYPES_FILE, code);
console.log(`wrote ${path.relative(process.cwd(), SCHEMA_TYPES_FILE)}`);
