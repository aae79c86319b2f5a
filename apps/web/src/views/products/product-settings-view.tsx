'use client';

import { useParams } from 'next/navigation';
import { ProductDocument, ProductListDocument, UpdateProductDocument } from '@gansight/client';
import { ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { describeModel } from './model-settings-text';
import { ProductForm, modelSettingsInput } from './product-form';

export function ProductSettingsView() {
  const { productId } = useParams<{ productId: string }>();
  const canEdit = useCan('ENGINEER');
  const product = useApiQuery(ProductDocument, { id: productId });
  const update = useApiMutation(UpdateProductDocument, [ProductDocument, ProductListDocument]);
  if (product.isPending) return <Loading />;
  if (product.isError) return <ErrorState error={product.error} />;
  if (!canEdit) {
    const p = product.data.product;
    return (
      <section className="card">
        <p>
          {describeModel(p)}
          {p.modelSettings.kind === 'WHOLE' && `; fitting ${(p.preprocessing as { mode?: string }).mode ?? 'resize'}`}. Shortest image side accepted: {p.minimumImageSide} px.
        </p>
        <p className="muted small">Engineers change product settings.</p>
      </section>
    );
  }
  return (
    <>
      <ProductForm
        key={product.data.product.updatedAt}
        product={product.data.product}
        submitLabel="Save settings"
        busy={update.isPending}
        serverError={update.error?.message}
        onSubmit={(v) =>
          update.mutate({
            id: productId,
            input: { name: v.name.trim(), description: v.description || null, imageSize: v.imageSize, channels: v.channels, preprocessing: v.preprocessing, modelSettings: modelSettingsInput(v.model) },
          })
        }
      />
      {update.isSuccess && <p role="status" className="ok">Saved.</p>}
    </>
  );
}
