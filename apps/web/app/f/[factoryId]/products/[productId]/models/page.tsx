import { ProductModelsView } from '../../../../../../src/views/models/product-models-view';

export const metadata = { title: 'Models · Gansight' };

export default function ProductModelsPage() {
  return <ProductModelsView />;
}
