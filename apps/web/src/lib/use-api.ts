'use client';

import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient, type UseQueryOptions } from '@tanstack/react-query';
import type { GansightApiError, Operation } from '@gansight/client';
import { apiClient } from './api-client';
import { useFactory } from './factory-session';

/** The operation's name (`query Products(...)` -> Products), used in cache keys. */
export function operationName(op: { toString(): string }): string {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(op.toString())?.[1] ?? op.toString();
}

type QueryExtras<R> = Omit<UseQueryOptions<R, GansightApiError>, 'queryKey' | 'queryFn'>;

/**
 * One query of the current factory, cached by (factory, operation, variables). Every view's data
 * hook is built from this, so loading, error and refetch behave the same on every page.
 */
export function useApiQuery<R, V>(op: Operation<R, V>, variables: V, extras: QueryExtras<R> = {}) {
  const { factoryId } = useFactory();
  return useQuery<R, GansightApiError>({
    queryKey: [factoryId, operationName(op), variables],
    queryFn: () => (apiClient(factoryId).request as (o: Operation<R, V>, v: V) => Promise<R>)(op, variables),
    ...extras,
  });
}

/** A mutation of the current factory; `invalidates` names the queries to refetch after it. */
export function useApiMutation<R, V>(op: Operation<R, V>, invalidates: Array<{ toString(): string }> = []) {
  const { factoryId } = useFactory();
  const queryClient = useQueryClient();
  return useMutation<R, GansightApiError, V>({
    mutationFn: (variables) => (apiClient(factoryId).request as (o: Operation<R, V>, v: V) => Promise<R>)(op, variables),
    onSuccess: async () => {
      await Promise.all(invalidates.map((q) => queryClient.invalidateQueries({ queryKey: [factoryId, operationName(q)] })));
    },
  });
}

/**
 * A live subscription of the current factory (graphql-ws through the same origin). `onEvent`
 * sees each event; the hook returns the connection state for a small indicator. `variables`
 * null: not subscribed (e.g. nothing is running).
 */
export function useApiSubscription<R, V>(op: Operation<R, V>, variables: V | null, onEvent: (value: R) => void) {
  const { factoryId } = useFactory();
  const [state, setState] = useState<'idle' | 'live' | 'closed' | 'error'>('idle');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (variables === null) {
      setState('idle');
      return;
    }
    // A stopped subscription may still report completion later; only the current one sets state.
    let current = true;
    setState('live');
    const stop = apiClient(factoryId).subscribe(op, variables, {
      next: (value) => current && handler.current(value),
      error: () => current && setState('error'),
      complete: () => current && setState('closed'),
    });
    return () => {
      current = false;
      stop();
    };
    // `key` stands for the variables' value, so a new object with the same content does not resubscribe.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [factoryId, op, key]);
  return state;
}
