import { ModelCardView } from '../../../../../src/views/models/model-card-view';

export const metadata = { title: 'Model · Gansight' };

export default function ModelPage() {
  return <ModelCardView />;
}
