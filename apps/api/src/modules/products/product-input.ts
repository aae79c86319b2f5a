// What a product may be created or changed to, in one schema: every rule that would otherwise
// surface later (a training that cannot build its GAN, uploads that can never be large enough)
// is refused here with BAD_USER_INPUT. New product settings are new keys of `productFields`.
import { DEFAULT_PATCH_MODEL_SETTINGS, PATCH_MODEL_SIZES, PRODUCT_IMAGE_SIZES, isProductImageSize, type PatchModelSize, type ProductModelSettings } from '@gansight/db';
import { z } from 'zod';
import { apiError } from '../auth/api-errors';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/;
const MODES = ['resize', 'center-crop', 'pad'] as const;
// 'per-image' standardises each image's brightness (ADR 0010); models record what they trained with.
const INTENSITIES = ['raw', 'per-image'] as const;
// Control characters (tabs, newlines, escapes) in a name break every list that shows it.
const CONTROL = /\p{Cc}/u;

/** A display name: trimmed, 1-200 characters, no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !CONTROL.test(s), 'must not contain control characters (tabs, line breaks, ...)');

export const descriptionSchema = z.string().max(2000, 'must be at most 2000 characters');

const productFields = {
  name: nameSchema,
  slug: z.string().regex(SLUG, 'must be 1-60 lowercase letters, digits or dashes, not starting or ending with a dash'),
  description: descriptionSchema.nullish(),
  imageSize: z
    .number()
    .refine(isProductImageSize, `must be one of ${PRODUCT_IMAGE_SIZES.join(', ')} (a power of two: the GAN doubles its resolution per layer)`),
  channels: z.union([z.literal(1), z.literal(3)], { error: 'must be 1 (grayscale) or 3 (RGB)' }),
  // Checked here so that a bad mode fails at creation, not when the worker first preprocesses.
  preprocessing: z.strictObject(
    {
      mode: z.enum(MODES, { error: `must be ${MODES.map((m) => `"${m}"`).join(', ')}` }),
      intensity: z.enum(INTENSITIES, { error: `must be ${INTENSITIES.map((m) => `"${m}"`).join(' or ')}` }).optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `has unknown keys ${issue.keys.join(', ')}; known: mode, intensity` : 'must be an object with mode and, optionally, intensity') },
  ),
  // A patch model's settings are checked here so that a scale or tile size that cannot work
  // fails at creation, not on the first training or every upload.
  modelSettings: z
    .object({
      kind: z.enum(['WHOLE', 'PATCH']),
      scale: z.number().gt(0, 'must be greater than 0').lte(1, 'must be at most 1 (1 = native resolution)').nullish(),
      patchSize: z.number().refine((v) => (PATCH_MODEL_SIZES as readonly number[]).includes(v), `must be one of ${PATCH_MODEL_SIZES.join(', ')}`).nullish(),
      defectMap: z.boolean().nullish(),
      flips: z.boolean().nullish(),
    })
    .refine((m) => m.kind === 'PATCH' || (m.scale == null && m.patchSize == null && m.defectMap == null && m.flips == null), 'takes scale, patchSize, defectMap and flips only with kind PATCH')
    .transform((m): ProductModelSettings => (m.kind === 'WHOLE'
      ? { kind: 'whole' }
      : {
        kind: 'patch',
        scale: m.scale ?? DEFAULT_PATCH_MODEL_SETTINGS.scale,
        patchSize: (m.patchSize ?? DEFAULT_PATCH_MODEL_SETTINGS.patchSize) as PatchModelSize,
        defectMap: m.defectMap ?? DEFAULT_PATCH_MODEL_SETTINGS.defectMap,
        flips: m.flips ?? DEFAULT_PATCH_MODEL_SETTINGS.flips,
      })),
};

export const createProductSchema = z.object({
  name: productFields.name,
  slug: productFields.slug.nullish(),
  description: productFields.description,
  imageSize: productFields.imageSize,
  channels: productFields.channels,
  preprocessing: productFields.preprocessing.nullish(),
  modelSettings: productFields.modelSettings.nullish(),
});

export const updateProductSchema = z.object({
  name: productFields.name.nullish(),
  description: productFields.description,
  imageSize: productFields.imageSize.nullish(),
  channels: productFields.channels.nullish(),
  preprocessing: productFields.preprocessing.nullish(),
  modelSettings: productFields.modelSettings.nullish(),
  archived: z.boolean().nullish(),
});

/** The input parsed by `schema`; the first problem as BAD_USER_INPUT naming the field (`input.imageSize`). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = 'input'): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].join('.');
  throw apiError('BAD_USER_INPUT', `${field} ${issue.message}.`, { argument: field });
}

