'use client';

import Link from 'next/link';
import { useParams, usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { ProductDocument } from '@gansight/client';
import { ErrorState } from '../../components/states';
import { useFactory } from '../../lib/factory-session';
import { useApiQuery } from '../../lib/use-api';

/** A product's name and its tabs (dataset, models, settings) above each of its pages. */
export function ProductFrame({ children }: { children: ReactNode }) {
  const { productId } = useParams<{ productId: string }>();
  const { factoryId } = useFactory();
  const pathname = usePathname();
  const product = useApiQuery(ProductDocument, { id: productId });
  const base = `/f/${factoryId}/products/${productId}`;
  const tabs = [
    ['', 'Dataset'],
    ['/models', 'Models'],
    ['/settings', 'Settings'],
  ];
  if (product.isError) return <ErrorState error={product.error} onRetry={() => void product.refetch()} />;
  return (
    <>
      <div className="page-head">
        <h1>{product.data?.product.name ?? ' '}</h1>
        <Link href={`/f/${factoryId}/products`}>All products</Link>
      </div>
      <nav className="tabs" aria-label="Product">
        {tabs.map(([href, label]) => (
          <Link key={href} href={`${base}${href}`} aria-current={pathname === `${base}${href}` ? 'page' : undefined}>
            {label}
          </Link>
        ))}
      </nav>
      {children}
    </>
  );
}
