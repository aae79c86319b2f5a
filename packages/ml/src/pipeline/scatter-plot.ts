// A scatter plot rendered into raw RGB pixels (no plotting library): enough to look at a t-SNE
// embedding of generated vs real images. Encoding to PNG is the caller's job.

export interface ScatterSeries {
  points: Array<[number, number]>;
  /** RGB 0..255. */
  colour: [number, number, number];
}

/** Draws each series as filled dots on a white square with a light frame; returns raw RGB bytes (HWC). */
export function renderScatter(series: ScatterSeries[], size = 400, radius = 3): { width: number; height: number; data: Uint8Array } {
  const data = new Uint8Array(size * size * 3).fill(255);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return { width: size, height: size, data };
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = radius + 8;
  const scale = (size - 2 * margin) / Math.max(x1 - x0, y1 - y0, 1e-9);
  const set = (x: number, y: number, c: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    data.set(c, (y * size + x) * 3);
  };
  for (let i = 0; i < size; i++) for (const [x, y] of [[i, 0], [i, size - 1], [0, i], [size - 1, i]] as const) set(x, y, [200, 200, 200]);
  for (const s of series) {
    for (const [px, py] of s.points) {
      const cx = Math.round(margin + (px - x0) * scale);
      // Image rows grow downwards; flip so larger y is drawn higher, as in a chart.
      const cy = Math.round(size - margin - (py - y0) * scale);
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius) set(cx + dx, cy + dy, s.colour);
      }
    }
  }
  return { width: size, height: size, data };
}
