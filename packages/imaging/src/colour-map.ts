// Colour maps for heat maps. Piecewise-linear anchors so no lookup table file is needed.
export type ColourMapName = 'inferno' | 'jet' | 'gray';

const ANCHORS: Record<ColourMapName, ReadonlyArray<readonly [number, number, number]>> = {
  // Sampled from matplotlib's inferno at 0, 0.25, 0.5, 0.75, 1 (perceptually ordered, prints in grey).
  inferno: [
    [0, 0, 4],
    [87, 16, 110],
    [188, 55, 84],
    [249, 142, 9],
    [252, 255, 164],
  ],
  jet: [
    [0, 0, 128],
    [0, 0, 255],
    [0, 255, 255],
    [255, 255, 0],
    [255, 0, 0],
    [128, 0, 0],
  ],
  gray: [
    [0, 0, 0],
    [255, 255, 255],
  ],
};

/** RGB bytes for a value t in [0, 1] (clipped) under the named colour map. */
export function colourAt(name: ColourMapName, t: number): [number, number, number] {
  const anchors = ANCHORS[name];
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (anchors.length - 1);
  const i = Math.min(anchors.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = anchors[i] as readonly [number, number, number];
  const b = anchors[i + 1] as readonly [number, number, number];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}
