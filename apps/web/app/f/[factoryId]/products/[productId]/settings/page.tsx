import { ProductSettingsView } from '../../../../../../src/views/products/product-settings-view';

export const metadata = { title: 'Product settings · Gansight' };

export default function ProductSettingsPage() {
  return <ProductSettingsView />;
}
