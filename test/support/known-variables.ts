// The environment variables a deployment may set: every one packages/config validates (the
// README's "Configuration" table) and the few the dashboard's next.config.ts reads itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { envSchema } from '@gansight/config';
import { repoRoot } from './run-cli';

const shape = (envSchema as unknown as { shape?: Record<string, unknown>; _def: { schema: { shape: Record<string, unknown> } } });

/** Variables packages/config reads. */
export const knownVariables = new Set(Object.keys(shape.shape ?? shape._def.schema.shape));

/** Variables the dashboard's server reads (process.env.NAME), besides packages/config's. */
export function webVariables(): string[] {
  const source = ['apps/web/next.config.ts', 'apps/web/src/lib/api-origin.ts'].map((f) => readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
  return [...new Set([...source.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((m) => m[1]!))];
}
