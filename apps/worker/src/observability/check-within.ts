import type { ReadinessCheck } from '@gansight/telemetry';

/** A probe's answer within `ms` (default 3 s, below the Kubernetes probe timeouts in infra/k8s), as a readiness check. */
export async function checkWithin(name: string, check: () => Promise<unknown>, ms = 3000): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
    return { name, ok: true };
  } catch {
    // The driver's message names hosts and users: the reason says only what is down.
    return { name, ok: false, reason: `${name} is unavailable` };
  } finally {
    clearTimeout(timer);
  }
}
