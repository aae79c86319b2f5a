'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FactorySettingsDocument, LogoutDocument, MeDocument, MyFactoriesDocument, ProductsDocument, type GansightApiError } from '@gansight/client';
import { apiClient, closeApiClients } from '../lib/api-client';
import { FactorySessionProvider, type FactorySession } from '../lib/factory-session';
import { asRole, homePath, navFor } from '../lib/roles';
import { operationName } from '../lib/use-api';
import { ErrorState, Loading } from './states';

async function loadSession(factoryId: string): Promise<FactorySession> {
  const client = apiClient(factoryId);
  // `me` with x-factory-id is the API's check that this user belongs to the factory in the URL.
  const [{ me }, { myFactories }, { factory }] = await Promise.all([
    client.request(MeDocument),
    client.request(MyFactoriesDocument),
    client.request(FactorySettingsDocument),
  ]);
  const settings = (factory.settings ?? {}) as { timeZone?: unknown };
  return {
    factoryId,
    factory: me.factory ?? { id: factory.id, name: factory.name, slug: factory.slug },
    role: asRole(me.role),
    email: me.email,
    factories: myFactories.map((m) => ({ factory: m.factory, role: m.role })),
    timeZone: typeof settings.timeZone === 'string' && settings.timeZone ? settings.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/** The frame of every factory page: navigation by role, factory switcher, account, sign-out. */
export function FactoryShell({ factoryId, children }: { factoryId: string; children: ReactNode }) {
  const queryClient = useQueryClient();
  const session = useQuery<FactorySession, GansightApiError>({ queryKey: [factoryId, 'session'], queryFn: () => loadSession(factoryId), staleTime: 60_000 });
  // Nearly every page starts from the product list: asked for beside the session check rather
  // than after it, it saves the overview a round trip (same key as useApiQuery's).
  useEffect(() => {
    const variables = { first: 100 };
    void queryClient.prefetchQuery({
      queryKey: [factoryId, operationName(ProductsDocument), variables],
      queryFn: () => apiClient(factoryId).request(ProductsDocument, variables),
      staleTime: 10_000,
    });
  }, [factoryId, queryClient]);
  if (session.isPending) return <Loading label="Opening the factory…" height={400} />;
  if (session.isError) {
    return (
      <main className="page">
        <ErrorState error={session.error} onRetry={() => void session.refetch()} />
        <p>
          <Link href="/">Choose one of your factories</Link>
        </p>
      </main>
    );
  }
  return (
    <FactorySessionProvider value={session.data}>
      <div className="shell">
        <TopBar session={session.data} />
        <main className="page">{children}</main>
      </div>
    </FactorySessionProvider>
  );
}

/**
 * Where the factory switcher goes: ids differ between factories, so it keeps the section
 * (inspections, products, ...) but not the page, and only a section the role there may see.
 */
function switchTarget(session: FactorySession, factoryId: string, section: string): string {
  const role = session.factories.find((m) => m.factory.id === factoryId)?.role ?? null;
  const allowed = navFor(role).some((item) => item.href === `/${section}`);
  return allowed ? `/f/${factoryId}/${section}` : homePath(factoryId, role);
}

function TopBar({ session }: { session: FactorySession }) {
  const pathname = usePathname();
  const router = useRouter();
  const queryClient = useQueryClient();
  const base = `/f/${session.factoryId}`;
  const section = pathname.slice(base.length).split('/')[1] ?? '';

  const signOut = async () => {
    await apiClient().request(LogoutDocument).catch(() => undefined);
    await closeApiClients();
    queryClient.clear();
    router.replace('/login');
  };

  return (
    <header className="topbar">
      <Link className="brand" href={base}>
        Gansight
      </Link>
      <nav aria-label="Main">
        {navFor(session.role).map((item) => {
          const href = `${base}${item.href}`;
          const active = item.href === '' ? pathname === base : pathname.startsWith(href);
          return (
            <Link key={item.href} href={href} aria-current={active ? 'page' : undefined}>
              {item.label}
            </Link>
          );
        })}
      </nav>
      <div className="topbar-end">
        {session.factories.length > 1 ? (
          <label className="switcher">
            <span className="sr-only">Factory</span>
            <select
              aria-label="Factory"
              value={session.factoryId}
              onChange={(e) => router.push(switchTarget(session, e.target.value, section))}
            >
              {session.factories.map((m) => (
                <option key={m.factory.id} value={m.factory.id}>
                  {m.factory.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="factory-name">{session.factory.name}</span>
        )}
        <Link href={`${base}/account`} title="Account and password">
          {session.email}
          {session.role && <span className="role-badge">{session.role}</span>}
        </Link>
        <button type="button" className="link-button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
