/** Stable codes for everything the events package throws on purpose. */
export type EventErrorCode = 'EVENT_TOO_LARGE' | 'BAD_EVENT' | 'SUBSCRIBER_CLOSED' | 'SUBSCRIBER_OVERFLOW';

export class EventError extends Error {
  constructor(
    readonly code: EventErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventError';
  }
}

export function isEventError(err: unknown, code?: EventErrorCode): err is EventError {
  return err instanceof EventError && (code === undefined || err.code === code);
}
