import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * graphql's CommonJS build: the copy Apollo, graphql-ws and graphql-tools load. Under vitest a
 * plain `import 'graphql'` in our sources resolves to the package's ESM build, a second copy whose
 * instanceof checks reject schemas and errors made by the first ("from another module or realm").
 * Runtime values that meet the schema or Apollo come from here; types may still be imported.
 */
export const gql: typeof import('graphql') = require('graphql');
