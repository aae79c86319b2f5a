import { createHash } from 'node:crypto';
import { floatImageToPng } from '@gansight/imaging';

/** A PNG of `size` x `size` pixels whose content depends on `seed` (so sha256s differ). */
export async function pngImage(size: number, seed = 0, channels: 1 | 3 = 1): Promise<Buffer> {
  const data = new Float32Array(size * size * channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37 + seed * 1.7) * 0.9;
  return floatImageToPng({ width: size, height: size, channels, data });
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
