import type { GansightClient } from './client';
import { GansightApiError } from './errors';
import {
  InspectionCompletedDocument,
  InspectionDocument,
  InspectionProgressDocument,
  SubmitInspectionDocument,
  type InspectionFieldsFragment,
  type InspectionProgressSubscription,
  type SubmitInspectionInput,
} from './generated/graphql';
import { uploadImage, type UploadImageOptions } from './images';

export type Inspection = InspectionFieldsFragment;
export type InspectionProgress = InspectionProgressSubscription['inspectionProgress'];

/** True once the worker is done with the inspection, judged or not. */
export function isFinished(inspection: Pick<Inspection, 'status'>): boolean {
  return inspection.status === 'DONE' || inspection.status === 'FAILED';
}

/**
 * Submits an inspection. Give an `idempotencyKey` (e.g. camera and frame number): a retry with
 * the same key returns the first inspection with `created: false` instead of inspecting twice.
 */
export async function submitInspection(client: GansightClient, input: SubmitInspectionInput): Promise<{ inspection: Inspection; created: boolean }> {
  return (await client.request(SubmitInspectionDocument, { input })).submitInspection;
}

/** Uploads an image (direct or presigned, see uploadImage) and submits its inspection. */
export async function inspectImage(
  client: GansightClient,
  options: UploadImageOptions & Omit<SubmitInspectionInput, 'imageId' | 'upload' | 'productId'>,
): Promise<{ inspection: Inspection; created: boolean; imageDuplicate: boolean }> {
  const { productId, bytes, contentType, facts, via, send, ...submit } = options;
  const { image, duplicate } = await uploadImage(client, { productId, bytes, contentType, facts, via, send });
  const result = await submitInspection(client, { ...submit, imageId: image.id });
  return { ...result, imageDuplicate: duplicate };
}

export interface WaitOptions {
  /** Give up with a TIMEOUT error after this long (default 10 minutes). */
  timeoutMs?: number;
  /**
   * `subscription` (default): graphql-ws events, with a slow poll as a safety net for events
   * missed while connecting; `poll`: reads only, for places where WebSockets cannot pass.
   */
  mode?: 'subscription' | 'poll';
  /** Between reads: default 5 s with subscriptions, 1 s when polling only. */
  pollIntervalMs?: number;
  /** Inversion iterations of each inspection, as the worker reports them (subscription mode). */
  onProgress?(event: InspectionProgress): void;
  /** Each inspection as it finishes. */
  onFinished?(inspection: Inspection): void;
  signal?: AbortSignal;
}

/**
 * Waits until every inspection is DONE or FAILED and returns them in the order of `ids`.
 * `productId` narrows the completion subscription to one product (all must belong to it).
 */
export async function waitForInspections(
  client: GansightClient,
  ids: readonly string[],
  options: WaitOptions & { productId?: string } = {},
): Promise<Inspection[]> {
  const mode = options.mode ?? 'subscription';
  const pending = new Set(ids);
  const done = new Map<string, Inspection>();
  const stops: (() => void)[] = [];
  let wake: () => void = () => undefined;
  let failure: GansightApiError | null = null;

  const finish = (inspection: Inspection) => {
    if (!pending.has(inspection.id) || !isFinished(inspection)) return;
    pending.delete(inspection.id);
    done.set(inspection.id, inspection);
    options.onFinished?.(inspection);
    wake();
  };
  const fail = (error: GansightApiError) => {
    failure ??= error;
    wake();
  };

  try {
    if (mode === 'subscription') {
      // Subscribe before the first read, so a verdict that lands in between is not lost.
      stops.push(
        client.subscribe(InspectionCompletedDocument, { productId: options.productId ?? null }, {
          next: ({ inspectionCompleted }) => finish(inspectionCompleted),
          error: fail,
        }),
      );
      for (const id of ids) {
        stops.push(
          client.subscribe(InspectionProgressDocument, { inspectionId: id }, {
            next: ({ inspectionProgress }) => {
              options.onProgress?.(inspectionProgress);
              // A failure may come only as a progress event; read the row to learn its outcome.
              if (inspectionProgress.kind === 'inspection.failed') void readOne(id);
            },
            error: fail,
          }),
        );
      }
    }
    const readOne = async (id: string) => {
      try {
        finish((await client.request(InspectionDocument, { id })).inspection);
      } catch (err) {
        fail(err instanceof GansightApiError ? err : new GansightApiError('NETWORK_ERROR', String(err), { cause: err }));
      }
    };
    const interval = options.pollIntervalMs ?? (mode === 'poll' ? 1000 : 5000);
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    while (pending.size) {
      await Promise.all([...pending].map(readOne));
      if (failure) throw failure;
      if (!pending.size) break;
      if (options.signal?.aborted) throw new GansightApiError('TIMEOUT', 'Stopped waiting for verdicts (aborted)');
      const left = deadline - Date.now();
      if (left <= 0) throw new GansightApiError('TIMEOUT', `${pending.size} inspection(s) not finished in time: ${[...pending].join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(interval, left));
        wake = () => (clearTimeout(timer), resolve());
        options.signal?.addEventListener('abort', wake, { once: true });
      });
      wake = () => undefined;
      if (failure) throw failure;
    }
    return ids.map((id) => done.get(id)!);
  } finally {
    for (const stop of stops) stop();
  }
}

/** Waits for one inspection's outcome; see waitForInspections. */
export async function waitForInspection(client: GansightClient, id: string, options: WaitOptions & { productId?: string } = {}): Promise<Inspection> {
  return (await waitForInspections(client, [id], options))[0]!;
}
