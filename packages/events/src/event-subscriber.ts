// One dedicated LISTEN connection per process (per API replica), shared by every GraphQL
// subscription in it. PostgreSQL does not queue notifications for a dropped connection, so
// after a reconnect listeners are told (onReconnect) that they may have missed events and
// should re-read the rows they show.
import pg from 'pg';
import { matchesFilter, parseEvent, type EventFilter, type GansightEvent } from './event';
import { EventError } from './event-error';
import { EVENT_CHANNEL } from './publish-event';

export const LISTENER_APPLICATION_NAME = 'gansight-events-listener';

export type EventListener = (event: GansightEvent) => void;

export interface SubscriberOptions {
  connectionString: string;
  log?: (line: string) => void;
  /** First reconnect delay; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** How often the idle connection is probed, so a silently dead one is noticed. */
  pingIntervalMs?: number;
}

export interface EventSubscriber {
  /** Resolves once LISTEN is active (first connection). */
  ready(): Promise<void>;
  /** Calls listener for every event matching filter; returns the function that stops it. */
  subscribe(filter: EventFilter, listener: EventListener): () => void;
  /** Called after each reconnect: events sent while disconnected were lost. */
  onReconnect(callback: () => void): () => void;
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Starts listening on the events channel and keeps listening across database restarts. */
export function createEventSubscriber(o: SubscriberOptions): EventSubscriber {
  const log = o.log ?? (() => undefined);
  const baseDelay = o.reconnectDelayMs ?? 250;
  const maxDelay = o.maxReconnectDelayMs ?? 5000;
  const listeners = new Set<{ filter: EventFilter; listener: EventListener }>();
  const reconnectCallbacks = new Set<() => void>();
  let client: pg.Client | null = null;
  let connected = false;
  let closed = false;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let pingTimer: NodeJS.Timeout | null = null;
  let delay = baseDelay;
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((r) => (resolveReady = r));

  const dispatch = (msg: pg.Notification) => {
    if (msg.channel !== EVENT_CHANNEL) return;
    const event = parseEvent(msg.payload);
    if (!event) return;
    for (const l of [...listeners]) {
      if (!matchesFilter(event, l.filter)) continue;
      try {
        l.listener(event);
      } catch (err) {
        log(`[events] listener failed: ${(err as Error).message}`);
      }
    }
  };

  const lost = (c: pg.Client, why: string) => {
    if (client !== c) return; // an older connection, already replaced
    client = null;
    connected = false;
    if (pingTimer) clearInterval(pingTimer);
    pingTimer = null;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    if (closed) return;
    log(`[events] LISTEN connection lost (${why}); reconnecting in ${delay} ms`);
    schedule();
  };

  const schedule = () => {
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delay);
    delay = Math.min(maxDelay, delay * 2);
  };

  const connect = async () => {
    if (closed) return;
    // The application name lets operators (and tests) find the LISTEN connection in pg_stat_activity.
    const c = new pg.Client({ connectionString: o.connectionString, application_name: LISTENER_APPLICATION_NAME });
    c.on('error', (err) => lost(c, err.message));
    c.on('end', () => lost(c, 'connection ended'));
    c.on('notification', dispatch);
    client = c;
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENT_CHANNEL}`);
    } catch (err) {
      if (client === c) lost(c, (err as Error).message);
      return;
    }
    if (closed || client !== c) return void c.end().catch(() => undefined);
    connected = true;
    delay = baseDelay;
    pingTimer = setInterval(() => {
      c.query('SELECT 1').catch((err: Error) => lost(c, err.message));
    }, o.pingIntervalMs ?? 15_000);
    pingTimer.unref();
    if (everConnected) {
      log('[events] LISTEN connection restored');
      for (const cb of [...reconnectCallbacks]) cb();
    }
    everConnected = true;
    resolveReady();
  };

  void connect();

  return {
    ready: () => readyPromise,
    get connected() {
      return connected;
    },
    subscribe(filter, listener) {
      if (closed) throw new EventError('SUBSCRIBER_CLOSED', 'The event subscriber is closed.');
      if (!filter.factoryId) throw new EventError('BAD_EVENT', 'A subscription must name its factory.');
      const entry = { filter, listener };
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    onReconnect(callback) {
      reconnectCallbacks.add(callback);
      return () => void reconnectCallbacks.delete(callback);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (pingTimer) clearInterval(pingTimer);
      listeners.clear();
      reconnectCallbacks.clear();
      const c = client;
      client = null;
      connected = false;
      resolveReady();
      await c?.end().catch(() => undefined);
    },
  };
}
