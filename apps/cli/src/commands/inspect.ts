import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import {
  createGansightClient,
  GansightApiError,
  inspectImage,
  sha256Hex,
  waitForInspections,
  type Inspection,
} from '@gansight/client';

export interface InspectOptions {
  api: string;
  key?: string;
  product: string;
  line?: string;
  station?: string;
  /** Prefix of idempotency keys; the rest is the file's sha256, so a rerun inspects nothing twice. */
  idempotencyPrefix: string;
  timeout: string;
  poll?: boolean;
}

/** One image's outcome, as printed. */
export interface InspectResult {
  file: string;
  inspectionId: string | null;
  created: boolean | null;
  status: string | null;
  verdict: string | null;
  normalizedScore: number | null;
  anomalyScore: number | null;
  threshold: number | null;
  errorCode: string | null;
  errorMessage: string | null;
}

const blank = (file: string): InspectResult => ({
  file, inspectionId: null, created: null, status: null, verdict: null, normalizedScore: null, anomalyScore: null, threshold: null, errorCode: null, errorMessage: null,
});

function fromInspection(file: string, i: Inspection, created: boolean | null): InspectResult {
  return {
    file, inspectionId: i.id, created, status: i.status, verdict: i.verdict, normalizedScore: i.normalizedScore,
    anomalyScore: i.anomalyScore, threshold: i.threshold, errorCode: i.errorCode, errorMessage: i.errorMessage,
  };
}

/**
 * `gansight inspect`: uploads images through the API, submits their inspections and waits for
 * the verdicts (graphql-ws, or polling with --poll), with a progress bar on stderr. Prints JSON
 * on stdout; exits 1 when an image was refused or an inspection failed.
 */
export async function inspectCommand(files: string[], o: InspectOptions): Promise<void> {
  const apiKey = o.key ?? process.env.GANSIGHT_API_KEY;
  if (!apiKey) throw Object.assign(new Error('Give an API key with --key or GANSIGHT_API_KEY.'), { code: 'BAD_USER_INPUT' });
  const timeoutMs = Number(o.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw Object.assign(new Error('--timeout must be a number of seconds.'), { code: 'BAD_USER_INPUT' });
  const client = createGansightClient({ url: o.api, apiKey });
  const results = files.map((file) => blank(file));
  // The bar draws only on a terminal; in pipes and CI stderr stays quiet.
  const bar = new cliProgress.SingleBar(
    { format: 'verdicts {bar} {value}/{total} | {stage}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(files.length, 0, { stage: 'uploading' });
  try {
    const submitted: { index: number; id: string }[] = [];
    for (const [index, file] of files.entries()) {
      try {
        const bytes = await readFile(file);
        const { inspection, created } = await inspectImage(client, {
          productId: o.product,
          bytes,
          facts: { source: 'LINE', line: o.line ?? null, station: o.station ?? null },
          line: o.line,
          station: o.station,
          idempotencyKey: `${o.idempotencyPrefix}${(await sha256Hex(bytes)).slice(0, 32)}`,
        });
        results[index] = fromInspection(file, inspection, created);
        submitted.push({ index, id: inspection.id });
      } catch (err) {
        // A refused image (BAD_IMAGE, unreadable file) is reported; the others go on.
        if (err instanceof GansightApiError && ['UNAUTHENTICATED', 'FORBIDDEN', 'NETWORK_ERROR', 'RATE_LIMITED'].includes(err.code)) throw err;
        const code = err instanceof GansightApiError ? err.code : ((err as NodeJS.ErrnoException).code ?? 'ERROR');
        results[index] = { ...blank(file), errorCode: code, errorMessage: (err as Error).message };
        bar.increment(1, { stage: `${path.basename(file)}: ${code}` });
      }
    }
    bar.update({ stage: 'inspecting' });
    const iterations = new Map<string, number>();
    const finished = await waitForInspections(client, submitted.map((s) => s.id), {
      productId: o.product,
      mode: o.poll ? 'poll' : 'subscription',
      timeoutMs,
      onProgress: (e) => {
        if (e.iteration !== null) iterations.set(e.inspectionId, e.iteration);
        const running = [...iterations.values()];
        bar.update({ stage: `inverting (iteration ${Math.max(...running)})` });
      },
      onFinished: (i) => {
        iterations.delete(i.id);
        bar.increment(1, { stage: `${i.verdict ?? i.status}` });
      },
    });
    for (const [n, inspection] of finished.entries()) {
      const { index } = submitted[n]!;
      results[index] = fromInspection(results[index]!.file, inspection, results[index]!.created);
    }
  } finally {
    bar.stop();
    await client.close();
  }
  const count = (f: (r: InspectResult) => boolean) => results.filter(f).length;
  const summary = {
    pass: count((r) => r.verdict === 'PASS'),
    fail: count((r) => r.verdict === 'FAIL'),
    failed: count((r) => r.status === 'FAILED'),
    refused: count((r) => r.inspectionId === null),
  };
  process.stdout.write(`${JSON.stringify({ results, summary }, null, 2)}\n`);
  if (summary.failed || summary.refused) process.exitCode = 1;
}
