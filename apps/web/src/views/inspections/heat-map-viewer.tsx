'use client';

import { useState } from 'react';
import { TransformComponent, TransformWrapper } from 'react-zoom-pan-pinch';

/**
 * The input image with the residual heat map laid over it: an opacity slider blends the two, and
 * the pair zooms and pans together (wheel, pinch, or the buttons for keyboard users). Small
 * images are drawn with hard pixels, so a zoomed defect is not smeared by smoothing.
 */
export function HeatMapViewer({ inputUrl, heatMapUrl, alt }: { inputUrl: string; heatMapUrl: string | null; alt: string }) {
  const [opacity, setOpacity] = useState(0.5);
  return (
    <figure className="viewer">
      <TransformWrapper minScale={1} maxScale={16} doubleClick={{ mode: 'zoomIn' }}>
        {({ zoomIn, zoomOut, resetTransform }) => (
          <>
            <div className="viewer-stage">
              <TransformComponent wrapperStyle={{ width: '100%', height: '100%' }} contentStyle={{ width: '100%', height: '100%' }}>
                <div className="viewer-layers">
                  {/* Presigned blob URLs: plain <img>, no image optimiser in between. */}
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={inputUrl} alt={alt} className="pixelated" />
                  {heatMapUrl && (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={heatMapUrl} alt="Residual heat map" className="pixelated overlay" style={{ opacity }} data-testid="heat-map" />
                  )}
                </div>
              </TransformComponent>
            </div>
            <figcaption className="row viewer-controls">
              <button type="button" onClick={() => zoomIn()} aria-label="Zoom in">
                +
              </button>
              <button type="button" onClick={() => zoomOut()} aria-label="Zoom out">
                −
              </button>
              <button type="button" onClick={() => resetTransform()}>
                Fit
              </button>
              {heatMapUrl ? (
                <label className="row">
                  Heat map
                  <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} aria-label="Heat map opacity" />
                  <output>{Math.round(opacity * 100)}%</output>
                </label>
              ) : (
                <span className="muted small">The heat map appears once the inspection is done.</span>
              )}
            </figcaption>
          </>
        )}
      </TransformWrapper>
    </figure>
  );
}
