// @gansight/events: progress events from workers to API processes over PostgreSQL NOTIFY.
export { EVENT_KINDS, matchesFilter, parseEvent, type EventFilter, type EventKind, type EventTopic, type GansightEvent } from './event';
export { EventError, isEventError, type EventErrorCode } from './event-error';
export {
  EVENT_CHANNEL,
  MAX_EVENT_BYTES,
  createEventPublisher,
  encodeEvent,
  publishEvent,
  type EventInput,
  type EventPublisher,
  type Queryable,
} from './publish-event';
export { createEventSubscriber, LISTENER_APPLICATION_NAME, type EventListener, type EventSubscriber, type SubscriberOptions } from './event-subscriber';
export { eventIterator, type IteratorOptions } from './event-iterator';
