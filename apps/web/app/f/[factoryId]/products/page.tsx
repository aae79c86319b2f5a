import { ProductsView } from '../../../../src/views/products/products-view';

export const metadata = { title: 'Products · Gansight' };

export default function ProductsPage() {
  return <ProductsView />;
}
