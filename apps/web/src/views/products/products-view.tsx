'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { CreateProductFullDocument, ProductListDocument, ProductsDocument } from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { describeModel } from './model-settings-text';
import { ProductForm, modelSettingsInput } from './product-form';

export function ProductsView() {
  const { factoryId } = useFactory();
  const router = useRouter();
  const canEdit = useCan('ENGINEER');
  const [creating, setCreating] = useState(false);
  const list = useApiQuery(ProductListDocument, { first: 100 });
  const create = useApiMutation(CreateProductFullDocument, [ProductListDocument, ProductsDocument]);
  return (
    <>
      <div className="page-head">
        <h1>Products</h1>
        {canEdit && !creating && (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            New product
          </button>
        )}
      </div>
      {creating && (
        <ProductForm
          submitLabel="Create product"
          busy={create.isPending}
          serverError={create.error?.message}
          onSubmit={(v) =>
            create.mutate(
              { input: { name: v.name.trim(), description: v.description || null, imageSize: v.imageSize, channels: v.channels, preprocessing: v.preprocessing, modelSettings: modelSettingsInput(v.model) } },
              { onSuccess: ({ createProduct }) => router.push(`/f/${factoryId}/products/${createProduct.id}`) },
            )
          }
        />
      )}
      {list.isPending ? (
        <Loading height={200} />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.products.edges.length === 0 ? (
        <EmptyState title="No products yet">{canEdit ? 'Create one: each product gets its own GAN.' : 'An engineer creates them.'}</EmptyState>
      ) : (
        <ul className="product-cards">
          {list.data.products.edges.map(({ node: p }) => (
            <li key={p.id} className="card">
              <h2>
                <Link href={`/f/${factoryId}/products/${p.id}`}>{p.name}</Link>
              </h2>
              <p className="muted small">{describeModel(p)}</p>
              <p className="small">{p.activeModelId ? <span className="pill READY">model active</span> : <span className="pill">no active model</span>}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
