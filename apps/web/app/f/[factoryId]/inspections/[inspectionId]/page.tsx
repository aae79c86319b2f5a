import { InspectionDetailView } from '../../../../../src/views/inspections/inspection-detail-view';

export const metadata = { title: 'Inspection · Gansight' };

export default function InspectionPage() {
  return <InspectionDetailView />;
}
