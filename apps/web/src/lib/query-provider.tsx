'use client';

import { useState, type ReactNode } from 'react';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { isApiError } from '@gansight/client';

/** Sends the browser to sign in when the session is gone, keeping where it was. */
export function redirectToLogin(): void {
  const here = `${window.location.pathname}${window.location.search}`;
  if (window.location.pathname !== '/login') window.location.assign(`/login?next=${encodeURIComponent(here)}`);
}

// Queries only: a mutation's UNAUTHENTICATED may be a wrong current password, shown in its form.
function onError(error: unknown) {
  if (isApiError(error, 'UNAUTHENTICATED')) redirectToLogin();
}

/** TanStack Query for every view: one cache, no retries of errors the API says are final. */
export function QueryProvider({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            // Only a lost connection is worth retrying; FORBIDDEN or NOT_FOUND will not change.
            retry: (count, error) => count < 2 && isApiError(error, 'NETWORK_ERROR'),
            refetchOnWindowFocus: false,
          },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
