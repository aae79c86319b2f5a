import { describe, expect, it } from 'vitest';
import { createInProcessEventBus, type ProgressEvent } from './event-bus';

const event = (id: string, kind: 'progress' | 'completed' = 'progress'): ProgressEvent => ({ factoryId: 'f', topic: 'inspection', id, kind, data: {} });

describe('in-process event bus', () => {
  it('delivers events published after subscribing, in order, and stops after return()', async () => {
    const bus = createInProcessEventBus();
    await bus.publish(event('before'));
    const sub = bus.subscribe();
    await bus.publish(event('a'));
    await bus.publish(event('b'));
    expect((await sub.next()).value!.id).toBe('a');
    expect((await sub.next()).value!.id).toBe('b');
    const pending = sub.next();
    await sub.return!();
    expect((await pending).done).toBe(true);
    await bus.publish(event('after'));
    expect((await sub.next()).done).toBe(true);
  });

  it('drops the oldest progress events of a slow subscriber but keeps completions', async () => {
    const bus = createInProcessEventBus();
    const sub = bus.subscribe();
    await bus.publish(event('done', 'completed'));
    for (let i = 0; i < 300; i++) await bus.publish(event(`p${i}`));
    expect((await sub.next()).value!.id).toBe('done');
    expect((await sub.next()).value!.id).toBe('p45');
  });
});
