'use client';

import { ErrorState } from '../../components/states';
import { useCan } from '../../lib/factory-session';
import { ApiKeysPanel } from './api-keys-panel';
import { AuditPanel } from './audit-panel';
import { FactoryPanel } from './factory-panel';
import { MembersPanel } from './members-panel';
import { UsagePanel } from './usage-panel';

/** Factory administration (admins): members and invitations, API keys, the audit log, the time zone. */
export function SettingsView() {
  const admin = useCan('ADMIN');
  if (!admin) return <ErrorState error={{ code: 'FORBIDDEN', message: 'Settings are for factory admins.' }} />;
  return (
    <>
      <h1>Settings</h1>
      <FactoryPanel />
      <MembersPanel />
      <ApiKeysPanel />
      <AuditPanel />
      <UsagePanel />
    </>
  );
}
