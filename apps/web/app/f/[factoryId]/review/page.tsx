import { Suspense } from 'react';
import { Loading } from '../../../../src/components/states';
import { ReviewView } from '../../../../src/views/review/review-view';

export const metadata = { title: 'Review · Gansight' };

export default function ReviewPage() {
  return (
    <Suspense fallback={<Loading height={400} />}>
      <ReviewView />
    </Suspense>
  );
}
