import { fileURLToPath } from 'node:url';

/** The worker process's entry (main.ts), for those that start one as a child (`gansight start`). */
export const WORKER_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
