import { Suspense } from 'react';
import { Loading } from '../../../../src/components/states';
import { InspectionsView } from '../../../../src/views/inspections/inspections-view';

export const metadata = { title: 'Inspections · Gansight' };

export default function InspectionsPage() {
  return (
    <Suspense fallback={<Loading height={560} />}>
      <InspectionsView />
    </Suspense>
  );
}
