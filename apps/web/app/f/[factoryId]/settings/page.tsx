import { SettingsView } from '../../../../src/views/settings/settings-view';

export const metadata = { title: 'Settings · Gansight' };

export default function SettingsPage() {
  return <SettingsView />;
}
