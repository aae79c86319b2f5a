import type { ReactNode } from 'react';
import { FactoryShell } from '../../../src/components/factory-shell';

/** Every page of one factory; the id in the URL is checked by the API before anything shows. */
export default async function FactoryLayout({ children, params }: { children: ReactNode; params: Promise<{ factoryId: string }> }) {
  const { factoryId } = await params;
  return <FactoryShell factoryId={factoryId}>{children}</FactoryShell>;
}
