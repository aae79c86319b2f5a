import type { ReactNode } from 'react';
import { ProductFrame } from '../../../../../src/views/products/product-header';

export default function ProductLayout({ children }: { children: ReactNode }) {
  return <ProductFrame>{children}</ProductFrame>;
}
