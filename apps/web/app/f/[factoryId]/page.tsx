import { Suspense } from 'react';
import { Loading } from '../../../src/components/states';
import { OverviewView } from '../../../src/views/overview/overview-view';

export const metadata = { title: 'Overview · Gansight' };

export default function OverviewPage() {
  return (
    <Suspense fallback={<Loading height={400} />}>
      <OverviewView />
    </Suspense>
  );
}
