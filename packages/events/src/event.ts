// What travels from workers to API processes: small, tenant-tagged notices. Anything large
// (sample grids, reconstructions) is stored as a blob and the event carries its key.

/** Every kind of event, `<topic>.<what>`. */
export const EVENT_KINDS = [
  'training.started',
  'training.progress',
  'training.sample',
  'training.checkpoint',
  // After the last GAN step: encoder, densities, calibration, generator check ({ phase, done, total }).
  'training.phase',
  'training.completed',
  'training.failed',
  'training.cancelled',
  'inspection.started',
  'inspection.progress',
  'inspection.completed',
  'inspection.failed',
  'evaluation.started',
  'evaluation.progress',
  'evaluation.completed',
  'evaluation.failed',
  'lot.measured',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type EventTopic = EventKind extends `${infer T}.${string}` ? T : never;

export interface GansightEvent<D extends Record<string, unknown> = Record<string, unknown>> {
  /** The tenant the event belongs to; subscribers only ever see their own factory's events. */
  factoryId: string;
  kind: EventKind;
  /** The row it is about (TrainingRun, Inspection, Evaluation or Lot id). */
  id: string;
  data: D;
  /** ISO time the publisher sent it. */
  at: string;
}

/** Which events a listener wants: always one factory, optionally one topic/kinds and one row. */
export interface EventFilter {
  factoryId: string;
  topic?: EventTopic;
  kinds?: readonly EventKind[];
  id?: string;
}

export function matchesFilter(event: GansightEvent, filter: EventFilter): boolean {
  if (event.factoryId !== filter.factoryId) return false;
  if (filter.id !== undefined && event.id !== filter.id) return false;
  if (filter.topic !== undefined && !event.kind.startsWith(`${filter.topic}.`)) return false;
  if (filter.kinds !== undefined && !filter.kinds.includes(event.kind)) return false;
  return true;
}

const KIND_SET = new Set<string>(EVENT_KINDS);

/** Parses a NOTIFY payload; returns null for anything that is not one of our events. */
export function parseEvent(payload: string | undefined): GansightEvent | null {
  if (!payload) return null;
  try {
    const e = JSON.parse(payload) as Partial<GansightEvent>;
    if (typeof e.factoryId !== 'string' || typeof e.id !== 'string' || typeof e.kind !== 'string') return null;
    if (!KIND_SET.has(e.kind) || typeof e.data !== 'object' || e.data === null) return null;
    return { factoryId: e.factoryId, kind: e.kind, id: e.id, data: e.data, at: typeof e.at === 'string' ? e.at : '' };
  } catch {
    return null;
  }
}
