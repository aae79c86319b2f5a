#!/usr/bin/env node
// The CLI is TypeScript run in place (no build step, see docs/adr/0001-typescript-without-build.md);
// tsx's loader is registered before the entry module is imported.
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
