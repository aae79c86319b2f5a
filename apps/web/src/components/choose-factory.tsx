'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isApiError, MyFactoriesDocument, type GansightApiError, type MyFactoriesQuery } from '@gansight/client';
import { apiClient } from '../lib/api-client';
import { homePath } from '../lib/roles';
import { ErrorState, Loading } from './states';

/** Lists the factories of the signed-in user; one factory goes straight in, none signs in. */
export function ChooseFactory() {
  const router = useRouter();
  const mine = useQuery<MyFactoriesQuery, GansightApiError>({
    queryKey: ['myFactories'],
    queryFn: () => apiClient().request(MyFactoriesDocument),
    retry: false,
  });
  const only = mine.data?.myFactories.length === 1 ? mine.data.myFactories[0] : undefined;
  const signedOut = isApiError(mine.error, 'UNAUTHENTICATED');
  useEffect(() => {
    if (only) router.replace(homePath(only.factory.id, only.role));
    else if (signedOut) router.replace('/login');
  }, [only, signedOut, router]);

  if (mine.isPending || only || signedOut) return <Loading label="Signing you in…" height={300} />;
  return (
    <main className="page narrow">
      <h1>Your factories</h1>
      {mine.isError ? (
        <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />
      ) : mine.data.myFactories.length === 0 ? (
        <p>You are not a member of any factory yet. Ask a factory admin for an invitation.</p>
      ) : (
        <ul className="factory-list">
          {mine.data.myFactories.map((m) => (
            <li key={m.factory.id}>
              <Link href={homePath(m.factory.id, m.role)}>{m.factory.name}</Link> <span className="role-badge">{m.role}</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
