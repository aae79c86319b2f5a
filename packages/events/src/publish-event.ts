import pg from 'pg';
import { EVENT_KINDS, type EventKind, type GansightEvent } from './event';
import { EventError } from './event-error';

/** The one NOTIFY channel every Gansight event goes through; listeners filter in process. */
export const EVENT_CHANNEL = 'gansight_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_EVENT_BYTES = 7999;

/** Anything that can run a query: a pg Client or Pool, or graphile-worker's helpers. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

export interface EventInput<D extends Record<string, unknown> = Record<string, unknown>> {
  factoryId: string;
  kind: EventKind;
  id: string;
  data?: D;
}

const KINDS = new Set<string>(EVENT_KINDS);

/** Serialises an event, refusing unknown kinds, missing ids and payloads NOTIFY cannot carry. */
export function encodeEvent(input: EventInput, at: Date = new Date()): string {
  if (!input.factoryId) throw new EventError('BAD_EVENT', 'An event needs the factoryId of the tenant it belongs to.');
  if (!input.id) throw new EventError('BAD_EVENT', 'An event needs the id of the row it is about.');
  if (!KINDS.has(input.kind)) throw new EventError('BAD_EVENT', `Unknown event kind "${input.kind}".`);
  const event: GansightEvent = { factoryId: input.factoryId, kind: input.kind, id: input.id, data: input.data ?? {}, at: at.toISOString() };
  const json = JSON.stringify(event);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_EVENT_BYTES) {
    throw new EventError(
      'EVENT_TOO_LARGE',
      `Event ${input.kind} for ${input.id} is ${bytes} bytes; NOTIFY carries at most ${MAX_EVENT_BYTES}. Store large data as a blob and send its key.`,
    );
  }
  return json;
}

/** Publishes one event on `queryable` (inside its transaction, if it has one: delivered on commit). */
export async function publishEvent(queryable: Queryable, input: EventInput): Promise<void> {
  await queryable.query('SELECT pg_notify($1, $2)', [EVENT_CHANNEL, encodeEvent(input)]);
}

export interface EventPublisher {
  publish(input: EventInput): Promise<void>;
  close(): Promise<void>;
}

/** A publisher with its own small connection pool (reconnects on demand after a restart). */
export function createEventPublisher(o: { connectionString: string; maxConnections?: number }): EventPublisher {
  const pool = new pg.Pool({ connectionString: o.connectionString, max: o.maxConnections ?? 2 });
  // An idle client dropped by a database restart must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    publish: (input) => publishEvent(pool, input),
    close: () => pool.end(),
  };
}
