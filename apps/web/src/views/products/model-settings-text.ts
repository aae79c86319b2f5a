// One line that says which model a product trains, for the product list and read-only views.
import type { ProductDetailFieldsFragment } from '@gansight/client';

type Settings = Pick<ProductDetailFieldsFragment, 'imageSize' | 'channels' | 'modelSettings'>;

const SCALE_WORDS: Record<number, string> = { 1: 'full size', 0.5: 'half size', 0.25: 'quarter size' };

export function describeModel(p: Settings): string {
  const colour = p.channels === 1 ? 'grayscale' : 'colour';
  const m = p.modelSettings;
  if (m.kind === 'WHOLE') return `Whole-image model: every image squashed to ${p.imageSize} × ${p.imageSize}, ${colour}`;
  const scale = m.scale ?? 0.5;
  const parts = [`Patch model: images at ${SCALE_WORDS[scale] ?? `scale ${scale}`}, ${m.patchSize ?? 64}-px tiles, ${colour}`];
  parts.push(m.defectMap === false ? 'no defect map' : 'learned defect map');
  if (m.flips !== false) parts.push('mirrorings allowed');
  return parts.join(', ');
}
