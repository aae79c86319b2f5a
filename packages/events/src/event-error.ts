import { CodedError, codedErrorGuard } from '@gansight/errors';

/** Stable codes for everything the events package throws on purpose. */
export type EventErrorCode = 'EVENT_TOO_LARGE' | 'BAD_EVENT' | 'SUBSCRIBER_CLOSED' | 'SUBSCRIBER_OVERFLOW';

export class EventError extends CodedError<EventErrorCode> {
  override name = 'EventError';
}

export const isEventError = codedErrorGuard(EventError);
