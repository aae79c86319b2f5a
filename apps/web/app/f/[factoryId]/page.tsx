import { OverviewView } from '../../../src/views/overview/overview-view';

export const metadata = { title: 'Overview · Gansight' };

export default function OverviewPage() {
  return <OverviewView />;
}
