// How the stack stops (issue 13, item 10): the parts clients and jobs talk to (API, worker,
// dashboard) drain together, then what they used (event listener, job queue, storage), then
// the database. Each part has a limit; one that has not stopped by then is reported and left
// behind, so one stuck part can never hold up the rest (`gansight start` exits anyway).

export interface Stage {
  name: string;
  stop(): Promise<void>;
  /** Longest wait for this part before the next stage starts without it. */
  limitMs: number;
}

/** Stops `stages` in order, the parts of one stage at once; empties them. Never throws; returns the parts that did not stop. */
export async function stopInStages(stages: Stage[][], log: (line: string) => void): Promise<string[]> {
  const leftBehind: string[] = [];
  for (const stage of stages) {
    const parts = stage.splice(0);
    await Promise.all(
      parts.map(async (part) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), part.limitMs);
        });
        try {
          const outcome = await Promise.race([part.stop().then(() => 'stopped' as const), late]);
          if (outcome === 'late') {
            leftBehind.push(part.name);
            log(`${part.name} did not stop within ${part.limitMs / 1000} s; going on without it`);
          }
        } catch (err) {
          leftBehind.push(part.name);
          log(`error while stopping the ${part.name}: ${(err as Error).message}`);
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }
  return leftBehind;
}
