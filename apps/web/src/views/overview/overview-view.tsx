'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useCan, useFactory } from '../../lib/factory-session';
import { homePath } from '../../lib/roles';

/** Defect trends for managers; others are sent to the page they may use. */
export function OverviewView() {
  const { factoryId, role } = useFactory();
  const router = useRouter();
  const manager = useCan('MANAGER');
  useEffect(() => {
    if (!manager) router.replace(homePath(factoryId, role));
  }, [manager, factoryId, role, router]);
  if (!manager) return null;
  return <h1>Overview</h1>;
}
