'use client';

import { useState, type FormEvent } from 'react';
import type { ProductDetailFieldsFragment } from '@gansight/client';

export interface ModelFormValues {
  kind: 'PATCH' | 'WHOLE';
  /** As typed, so a half-typed number is not lost; checked by validateProduct. */
  scale: string;
  patchSize: number;
  defectMap: boolean;
  flips: boolean;
}

export interface ProductFormValues {
  name: string;
  description: string;
  imageSize: number;
  channels: number;
  preprocessing: { mode: string; intensity: string };
  model: ModelFormValues;
}

// The API's rules (apps/api products.resolvers.ts, packages/db products.ts), checked here first so
// a mistake is shown beside its field; the API checks again.
export const IMAGE_SIZES = [8, 16, 32, 64, 128, 256, 512, 1024];
// packages/db product-model-settings.ts: the tile sizes a patch model trains at, and its defaults.
export const PATCH_SIZES = [32, 64, 128];
const PATCH_DEFAULTS: ModelFormValues = { kind: 'PATCH', scale: '0.5', patchSize: 64, defectMap: true, flips: true };
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
  if (v.model.kind === 'PATCH') {
    const scale = Number(v.model.scale);
    if (v.model.scale.trim() === '' || !(scale > 0 && scale <= 1)) errors.scale = 'A working scale above 0 and at most 1 (1 = the image as captured, 0.5 = halved).';
    if (!PATCH_SIZES.includes(v.model.patchSize)) errors.patchSize = `Tiles of ${PATCH_SIZES.join(', ')} pixels.`;
  }
  return errors;
}

/** The shortest image side a patch model accepts (packages/db minimumImageSide): half a tile at the working scale. */
export function minimumPatchSide(m: ModelFormValues): number | null {
  const scale = Number(m.scale);
  return scale > 0 && scale <= 1 ? Math.ceil(m.patchSize / (2 * scale)) : null;
}

/** The API's ProductModelSettingsInput for the form's model section. */
export function modelSettingsInput(m: ModelFormValues) {
  return m.kind === 'WHOLE' ? { kind: 'WHOLE' as const } : { kind: 'PATCH' as const, scale: Number(m.scale), patchSize: m.patchSize, defectMap: m.defectMap, flips: m.flips };
}

function initial(p?: ProductDetailFieldsFragment): ProductFormValues {
  const pre = (p?.preprocessing ?? {}) as { mode?: string; intensity?: string };
  // New products start as patch models, the default of `gansight train` (ADR 0034); the API's own
  // default stays the paper's whole-image model so that existing integrations keep what they had.
  const m = p?.modelSettings;
  const model: ModelFormValues = !m
    ? PATCH_DEFAULTS
    : m.kind === 'WHOLE'
      ? { ...PATCH_DEFAULTS, kind: 'WHOLE' }
      : { kind: 'PATCH', scale: String(m.scale ?? 0.5), patchSize: m.patchSize ?? 64, defectMap: m.defectMap !== false, flips: m.flips !== false };
  return { name: p?.name ?? '', description: p?.description ?? '', imageSize: p?.imageSize ?? 64, channels: p?.channels ?? 1, preprocessing: { mode: pre.mode ?? 'resize', intensity: pre.intensity ?? 'raw' }, model };
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
  const setModel = (m: Partial<ModelFormValues>) => setValues({ ...values, model: { ...values.model, ...m } });
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
      <fieldset className="row" aria-label="Model settings">
        <label>
          Model kind
          <select value={values.model.kind} onChange={(e) => setModel({ kind: e.target.value as ModelFormValues['kind'] })}>
            <option value="PATCH">Patch model (recommended): the image in tiles, with a learned defect map</option>
            <option value="WHOLE">Whole image squashed to one size (the paper's model)</option>
          </select>
        </label>
        {values.model.kind === 'PATCH' && (
          <>
            <label>
              Working scale
              <input type="number" inputMode="decimal" min={0.05} max={1} step={0.05} value={values.model.scale} onChange={(e) => setModel({ scale: e.target.value })} aria-invalid={!!errors.scale} />
              {err('scale')}
            </label>
            <label>
              Tile size (pixels)
              <select value={values.model.patchSize} onChange={(e) => setModel({ patchSize: Number(e.target.value) })} aria-invalid={!!errors.patchSize}>
                {PATCH_SIZES.map((s) => (
                  <option key={s} value={s}>
                    {s} × {s}
                  </option>
                ))}
              </select>
              {err('patchSize')}
            </label>
            <label className="check">
              <input type="checkbox" checked={values.model.defectMap} onChange={(e) => setModel({ defectMap: e.target.checked })} />
              Learned defect map
            </label>
            <label className="check">
              <input type="checkbox" checked={values.model.flips} onChange={(e) => setModel({ flips: e.target.checked })} />
              Parts may be mirrored
            </label>
          </>
        )}
      </fieldset>
      {values.model.kind === 'PATCH' && (
        <p className="muted small" data-testid="patch-help">
          Images keep their size and aspect ratio{minimumPatchSide(values.model) ? `; uploads need a shortest side of at least ${minimumPatchSide(values.model)} px` : ''}. Mirroring is for surfaces that look the same mirrored; the
          defect map is the verdict when on.
        </p>
      )}
      <div className="row">
        {values.model.kind === 'WHOLE' && (
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
        )}
        <label>
          Channels
          <select value={values.channels} onChange={(e) => setValues({ ...values, channels: Number(e.target.value) })}>
            <option value={1}>Grayscale</option>
            <option value={3}>Colour (RGB)</option>
          </select>
          {err('channels')}
        </label>
        {values.model.kind === 'WHOLE' && (
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
        )}
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
      {product?.activeModelId && <p className="muted small">Changing the model, size, channels or fitting takes effect for the next training; the active model keeps the format it learned.</p>}
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
