'use client';

import { useState } from 'react';

export interface SampleGrid {
  step: number | null;
  name: string;
  url: string;
}

/**
 * The generator's sample grids as training went, on the finished model's card: the last grid
 * large, and a slider to step back through earlier ones (a person judges by eye whether the
 * samples converged to the product, the paper's first check of a GAN).
 */
export function SampleGrids({ grids }: { grids: SampleGrid[] }) {
  const ordered = [...grids].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  // null: follow the latest grid (also when grids arrive after the first render).
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked == null || picked >= ordered.length ? ordered.length - 1 : picked;
  const shown = ordered[index];
  if (!shown) return <p className="muted small">No sample grids were saved for this version.</p>;
  return (
    <figure className="sample-grids" data-testid="sample-grids">
      {/* eslint-disable-next-line @next/next/no-img-element -- signed storage URLs, not optimisable assets */}
      <img src={shown.url} alt={`Generated samples at step ${shown.step ?? 'final'}`} data-testid="sample-grid-image" />
      <figcaption className="small">
        <label>
          Step <strong data-testid="sample-grid-step">{shown.step ?? 'final'}</strong> of {ordered.length} grids
          <input
            type="range"
            aria-label="Sample grid"
            min={0}
            max={ordered.length - 1}
            value={index}
            onChange={(e) => setPicked(Number(e.target.value))}
          />
        </label>
      </figcaption>
    </figure>
  );
}
