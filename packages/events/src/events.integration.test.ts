import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@gansight/db/testing';
import {
  createEventPublisher,
  createEventSubscriber,
  eventIterator,
  isEventError,
  LISTENER_APPLICATION_NAME,
  type EventPublisher,
  type EventSubscriber,
  type GansightEvent,
} from './index';

let database: TestDatabase;
let publisher: EventPublisher;
const subscribers: EventSubscriber[] = [];

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  publisher = createEventPublisher({ connectionString: database.url });
});

afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.close()));
  await publisher?.close();
  await database?.drop();
});

async function newSubscriber(): Promise<EventSubscriber> {
  const s = createEventSubscriber({ connectionString: database.url, reconnectDelayMs: 100, maxReconnectDelayMs: 500 });
  subscribers.push(s);
  await s.ready();
  return s;
}

function collect(s: EventSubscriber, factoryId: string): GansightEvent[] {
  const seen: GansightEvent[] = [];
  s.subscribe({ factoryId }, (e) => seen.push(e));
  return seen;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('events over PostgreSQL NOTIFY', () => {
  it('delivers every event of a factory to subscribers in two processes, and none of another factory', async () => {
    const apiOne = await newSubscriber();
    const apiTwo = await newSubscriber();
    const oneSeesA = collect(apiOne, 'factory-a');
    const twoSeesA = collect(apiTwo, 'factory-a');
    const twoSeesB = collect(apiTwo, 'factory-b');
    for (let step = 1; step <= 20; step++) {
      await publisher.publish({ factoryId: step % 2 ? 'factory-a' : 'factory-b', kind: 'training.progress', id: 'run-1', data: { step } });
    }
    await until(() => oneSeesA.length === 10 && twoSeesA.length === 10 && twoSeesB.length === 10);
    await new Promise((r) => setTimeout(r, 200)); // nothing extra arrives late
    for (const seen of [oneSeesA, twoSeesA]) {
      expect(seen.map((e) => e.data.step)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      expect(seen.every((e) => e.factoryId === 'factory-a')).toBe(true);
    }
    expect(twoSeesB.map((e) => e.data.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(twoSeesB.every((e) => e.factoryId === 'factory-b')).toBe(true);
  });

  it('filters by topic and row id, and the iterator ends when returned', async () => {
    const s = await newSubscriber();
    const it = eventIterator(s, { factoryId: 'factory-a', topic: 'inspection', id: 'insp-2' });
    await publisher.publish({ factoryId: 'factory-a', kind: 'training.progress', id: 'insp-2', data: {} });
    await publisher.publish({ factoryId: 'factory-b', kind: 'inspection.progress', id: 'insp-2', data: {} });
    await publisher.publish({ factoryId: 'factory-a', kind: 'inspection.progress', id: 'insp-1', data: {} });
    await publisher.publish({ factoryId: 'factory-a', kind: 'inspection.completed', id: 'insp-2', data: { verdict: 'PASS' } });
    const first = await it.next();
    expect(first.value).toMatchObject({ factoryId: 'factory-a', kind: 'inspection.completed', id: 'insp-2', data: { verdict: 'PASS' } });
    await it.return!();
    expect((await it.next()).done).toBe(true);
  });

  it('refuses an event NOTIFY cannot carry with EVENT_TOO_LARGE, naming the fix', async () => {
    const err = await publisher
      .publish({ factoryId: 'factory-a', kind: 'training.sample', id: 'run-1', data: { png: 'x'.repeat(9000) } })
      .catch((e: unknown) => e);
    expect(isEventError(err, 'EVENT_TOO_LARGE')).toBe(true);
    expect((err as Error).message).toMatch(/blob/);
  });

  it('reconnects after its connection is killed and keeps delivering', async () => {
    const s = await newSubscriber();
    const seen = collect(s, 'factory-c');
    let reconnects = 0;
    s.onReconnect(() => (reconnects += 1));
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await until(() => reconnects >= 1 && s.connected);
    await publisher.publish({ factoryId: 'factory-c', kind: 'inspection.completed', id: 'insp-9', data: {} });
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ factoryId: 'factory-c', id: 'insp-9' });
  });
});
