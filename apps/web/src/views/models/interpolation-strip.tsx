'use client';

import { useState } from 'react';
import {
  DatasetImagesDocument,
  ModelInterpolationsDocument,
  RequestInterpolationDocument,
  type LatentInterpolationFieldsFragment,
} from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';

/** The API draws 3 to 16 frames; the strip's PNG has the two real images besides. */
const FRAME_CHOICES = [3, 4, 6, 8, 12, 16];
/** How many of the product's images the pickers offer (newest first). */
const PICKABLE = 100;

type Pickable = { id: string; label: string; split: string };
/** An image as the pickers and the strip's title name it: label, split and the end of its id. */
const caption = (i: Pickable) => `${i.label.toLowerCase()} · ${i.split.toLowerCase()} · …${i.id.slice(-6)}`;
const pending = (s: LatentInterpolationFieldsFragment) => s.status === 'QUEUED' || s.status === 'RUNNING';

/**
 * The paper's Figure 7 on the model card: an engineer picks two images of the product, the
 * worker inverts both and draws the path between their latents. A smooth strip says both parts
 * sit in one region of qualified latents; one that breaks up points at an end that does not.
 */
export function InterpolationStrip({ modelId, productId, modelReady }: { modelId: string; productId: string; modelReady: boolean }) {
  const canRequest = useCan('ENGINEER');
  const strips = useApiQuery(ModelInterpolationsDocument, { id: modelId }, {
    refetchInterval: (q) => (q.state.data?.model.interpolations.some(pending) ? 2000 : false),
  });
  const images = useApiQuery(DatasetImagesDocument, { filter: { productId }, first: PICKABLE }, { enabled: canRequest && modelReady });
  const request = useApiMutation(RequestInterpolationDocument, [ModelInterpolationsDocument]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [steps, setSteps] = useState(8);
  const [shownId, setShownId] = useState<string | null>(null);

  const options = images.data?.images.edges.map((e) => e.node) ?? [];
  // Until a person picks, the first two images are the pair.
  const fromId = from || options[0]?.id || '';
  const toId = to || options.find((i) => i.id !== fromId)?.id || '';
  const list = strips.data?.model.interpolations ?? [];
  const shown = list.find((s) => s.id === shownId) ?? list[0];

  return (
    <section className="card" aria-label="Latent interpolation">
      <h2>Latent interpolation</h2>
      <p className="muted small">
        Both images are inverted as inspections invert them, and the generator draws evenly spaced points of the path between their latents (the
        paper&apos;s Figure 7). Between two good parts the strip should change smoothly; a defective end makes it break up.
      </p>
      {canRequest && modelReady && (
        <form
          aria-label="Request interpolation"
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            request.mutate({ modelId, fromImageId: fromId, toImageId: toId, steps }, { onSuccess: (r) => setShownId(r.requestInterpolation.id) });
          }}
        >
          {images.isPending ? (
            <Loading label="Loading the product's images…" height={32} />
          ) : images.isError ? (
            <ErrorState error={images.error} onRetry={() => void images.refetch()} />
          ) : options.length < 2 ? (
            <p className="muted small">The product needs at least two images to interpolate between.</p>
          ) : (
            <>
              <ImageSelect label="From image" images={options} value={fromId} onChange={setFrom} />
              <ImageSelect label="To image" images={options} value={toId} onChange={setTo} />
              <label>
                Frames
                <select value={steps} onChange={(e) => setSteps(Number(e.target.value))}>
                  {FRAME_CHOICES.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={request.isPending || !fromId || !toId || fromId === toId}>
                {request.isPending ? 'Requesting…' : 'Interpolate'}
              </button>
            </>
          )}
        </form>
      )}
      {request.error && <p className="form-error">{request.error.message}</p>}
      {strips.isPending ? (
        <Loading height={120} />
      ) : strips.isError ? (
        <ErrorState error={strips.error} onRetry={() => void strips.refetch()} />
      ) : !shown ? (
        <EmptyState title="No interpolations yet">{modelReady ? 'Pick two images of the product and interpolate between them.' : 'A model draws strips once it is ready.'}</EmptyState>
      ) : (
        <>
          <StripView strip={shown} />
          {list.length > 1 && (
            <div className="row small" aria-label="Earlier interpolations">
              {list.map((s, k) => (
                <button key={s.id} type="button" aria-pressed={s.id === shown.id} onClick={() => setShownId(s.id)}>
                  {k === 0 ? 'latest' : `#${list.length - k}`} ({s.status.toLowerCase()})
                </button>
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function StripView({ strip }: { strip: LatentInterpolationFieldsFragment }) {
  const title = `${caption(strip.fromImage)} → ${caption(strip.toImage)}, ${strip.steps} frames`;
  if (pending(strip)) {
    return (
      <div className="state loading" role="status" aria-live="polite" data-testid="interpolation-pending">
        <span className="spinner" aria-hidden /> Drawing {title} ({strip.status.toLowerCase()})…
      </div>
    );
  }
  if (strip.status !== 'SUCCEEDED' || !strip.url) return <ErrorState error={{ code: 'FAILED', message: strip.error ?? `The interpolation ${strip.status.toLowerCase()}.` }} />;
  return (
    <figure className="interpolation-strip" data-testid="interpolation-strip">
      {/* eslint-disable-next-line @next/next/no-img-element -- signed storage URLs, not optimisable assets */}
      <img src={strip.url} alt={`Latent interpolation from ${caption(strip.fromImage)} to ${caption(strip.toImage)}`} data-testid="interpolation-strip-image" style={{ maxWidth: '100%' }} />
      <figcaption className="small">{title}: the real images at the ends, the generator&apos;s frames between them.</figcaption>
    </figure>
  );
}

/** One end of the path: a select of the product's images, named by caption(). */
function ImageSelect(p: { label: string; images: Pickable[]; value: string; onChange: (id: string) => void }) {
  return (
    <label>
      {p.label}
      <select value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.images.map((i) => (
          <option key={i.id} value={i.id}>
            {caption(i)}
          </option>
        ))}
      </select>
    </label>
  );
}
