'use client';

import { useState, type FormEvent } from 'react';
import type { ProductDetailFieldsFragment } from '@gansight/client';

export interface ProductFormValues {
  name: string;
  description: string;
  imageSize: number;
  channels: number;
  preprocessing: { mode: string; intensity: string };
}

// The API's rules (apps/api products.resolvers.ts, packages/db products.ts), checked here first so
// a mistake is shown beside its field; the API checks again.
export const IMAGE_SIZES = [8, 16, 32, 64, 128, 256, 512, 1024];
const MODES = [
  ['resize', 'Resize (keep everything, may stretch)'],
  ['center-crop', 'Centre crop (keep the middle square)'],
  ['pad', 'Pad (keep everything, add borders)'],
];
const INTENSITIES = [
  ['raw', 'As captured'],
  ['per-image', 'Standardise each image (uneven lighting)'],
];

export function validateProduct(v: ProductFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = v.name.trim();
  if (!name || name.length > 200) errors.name = 'A name of 1 to 200 characters.';
  if (!IMAGE_SIZES.includes(v.imageSize)) errors.imageSize = 'The GAN works on squares whose side is a power of two from 8 to 1024 pixels.';
  if (v.channels !== 1 && v.channels !== 3) errors.channels = 'Grayscale (1) or colour (3).';
  if (!MODES.some(([m]) => m === v.preprocessing.mode)) errors.mode = 'Pick how uploads are brought to size.';
  if (!INTENSITIES.some(([m]) => m === v.preprocessing.intensity)) errors.intensity = 'Pick an intensity mode.';
  return errors;
}

function initial(p?: ProductDetailFieldsFragment): ProductFormValues {
  const pre = (p?.preprocessing ?? {}) as { mode?: string; intensity?: string };
  return { name: p?.name ?? '', description: p?.description ?? '', imageSize: p?.imageSize ?? 64, channels: p?.channels ?? 1, preprocessing: { mode: pre.mode ?? 'resize', intensity: pre.intensity ?? 'raw' } };
}

/** Create or edit a product; `hasModels` warns that a shape change needs new training. */
export function ProductForm({ product, submitLabel, busy, serverError, onSubmit }: { product?: ProductDetailFieldsFragment; submitLabel: string; busy: boolean; serverError?: string | null; onSubmit: (v: ProductFormValues) => void }) {
  const [values, setValues] = useState(() => initial(product));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateProduct(values);
    setErrors(found);
    if (Object.keys(found).length === 0) onSubmit(values);
  };
  const err = (k: string) => errors[k] && <span className="form-error small">{errors[k]}</span>;
  return (
    <form className="card form" onSubmit={submit} aria-label={submitLabel} noValidate>
      <label>
        Name
        <input value={values.name} onChange={(e) => setValues({ ...values, name: e.target.value })} required maxLength={200} aria-invalid={!!errors.name} />
        {err('name')}
      </label>
      <label>
        Description
        <textarea rows={2} value={values.description} onChange={(e) => setValues({ ...values, description: e.target.value })} />
      </label>
      <div className="row">
        <label>
          Image size (pixels)
          <select value={values.imageSize} onChange={(e) => setValues({ ...values, imageSize: Number(e.target.value) })} aria-invalid={!!errors.imageSize}>
            {IMAGE_SIZES.map((s) => (
              <option key={s} value={s}>
                {s} × {s}
              </option>
            ))}
          </select>
          {err('imageSize')}
        </label>
        <label>
          Channels
          <select value={values.channels} onChange={(e) => setValues({ ...values, channels: Number(e.target.value) })}>
            <option value={1}>Grayscale</option>
            <option value={3}>Colour (RGB)</option>
          </select>
          {err('channels')}
        </label>
        <label>
          Fitting uploads
          <select value={values.preprocessing.mode} onChange={(e) => setValues({ ...values, preprocessing: { ...values.preprocessing, mode: e.target.value } })}>
            {MODES.map(([m, l]) => (
              <option key={m} value={m}>
                {l}
              </option>
            ))}
          </select>
          {err('mode')}
        </label>
        <label>
          Intensity
          <select value={values.preprocessing.intensity} onChange={(e) => setValues({ ...values, preprocessing: { ...values.preprocessing, intensity: e.target.value } })}>
            {INTENSITIES.map(([m, l]) => (
              <option key={m} value={m}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </div>
      {product?.activeModelId && <p className="muted small">Changing size, channels or fitting takes effect for the next training; the active model keeps the format it learned.</p>}
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <div>
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
