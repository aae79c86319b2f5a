'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { Role } from '@gansight/client';
import { roleAtLeast } from './roles';

/** A factory as lists show it. */
export interface FactoryRef {
  id: string;
  name: string;
  slug: string;
}

/** The verified factory of this page (from the URL, checked by the API's `me`) and who is looking. */
export interface FactorySession {
  factoryId: string;
  factory: FactoryRef;
  role: Role | null;
  email: string | null;
  /** The factories this user may switch to. */
  factories: Array<{ factory: FactoryRef; role: Role | null }>;
  /** IANA zone trends are bucketed in: the factory's setting, else the browser's. */
  timeZone: string;
}

const Context = createContext<FactorySession | null>(null);

export function FactorySessionProvider({ value, children }: { value: FactorySession; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The current factory session; only inside /f/[factoryId]. */
export function useFactory(): FactorySession {
  const session = useContext(Context);
  if (!session) throw new Error('useFactory() outside a factory page (/f/[factoryId]/...)');
  return session;
}

/** True when the signed-in user's role here is at least `role`. */
export function useCan(role: Role): boolean {
  return roleAtLeast(useFactory().role, role);
}
