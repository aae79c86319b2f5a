import { ThresholdView } from '../../../../../../src/views/models/threshold-view';

export const metadata = { title: 'Threshold what-if · Gansight' };

export default function ThresholdPage() {
  return <ThresholdView />;
}
