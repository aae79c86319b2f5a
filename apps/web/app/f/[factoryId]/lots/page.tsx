import { Suspense } from 'react';
import { Loading } from '../../../../src/components/states';
import { LotsView } from '../../../../src/views/lots/lots-view';

export const metadata = { title: 'Lots · Gansight' };

export default function LotsPage() {
  return (
    <Suspense fallback={<Loading />}>
      <LotsView />
    </Suspense>
  );
}
