import { Suspense } from 'react';
import { Loading } from '../../../../../../src/components/states';
import { CompareView } from '../../../../../../src/views/models/compare-view';

export const metadata = { title: 'Compare versions · Gansight' };

export default function ComparePage() {
  return (
    <Suspense fallback={<Loading height={400} />}>
      <CompareView />
    </Suspense>
  );
}
