import { Suspense } from 'react';
import { Loading } from '../../../../../src/components/states';
import { DatasetView } from '../../../../../src/views/dataset/dataset-view';

export const metadata = { title: 'Dataset · Gansight' };

export default function DatasetPage() {
  return (
    <Suspense fallback={<Loading height={400} />}>
      <DatasetView />
    </Suspense>
  );
}
