// The score against the threshold on one fixed scale for every image: normalised scores put the
// calibrated threshold at 0.5 (API docs), so the same colour always means the same distance
// from the threshold, and an image's colour is never rescaled to its own range.

/** Green below the threshold, amber at it, red above; fixed stops on the [0, 1] normalised score. */
export function scoreColour(score: number | null | undefined): string {
  if (score == null) return '#8c959f';
  const s = Math.min(1, Math.max(0, score));
  // Two linear ramps meeting at the threshold (0.5).
  const [from, to, t] = s < 0.5 ? [[26, 127, 55], [212, 167, 44], s / 0.5] : [[212, 167, 44], [207, 34, 46], (s - 0.5) / 0.5];
  const mix = (i: number) => Math.round(from[i]! + (to[i]! - from[i]!) * t);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

const GRADIENT = 'linear-gradient(to right, rgb(26,127,55), rgb(212,167,44) 50%, rgb(207,34,46))';

/** A small bar for tables: the score's position on the fixed scale, threshold marked. */
export function ScoreBar({ score }: { score: number | null | undefined }) {
  return (
    <span className="score-bar" title={score == null ? 'no score' : `normalised score ${score.toFixed(3)} (threshold 0.5)`}>
      <span className="score-area">
        <span className="score-track" />
        <span className="score-threshold" />
        {score != null && <span className="score-dot" style={{ left: `${Math.min(1, Math.max(0, score)) * 100}%`, background: scoreColour(score) }} />}
      </span>
      <span className="score-value">{score == null ? '—' : score.toFixed(2)}</span>
    </span>
  );
}

/** The full scale of the detail page, with the threshold and this image's score labelled. */
export function ScoreScale({ score, anomalyScore, threshold }: { score: number | null; anomalyScore: number | null; threshold: number | null }) {
  return (
    <figure className="score-scale" aria-label="Score against the threshold">
      <div className="scale-bar" style={{ background: GRADIENT }}>
        <span className="scale-threshold" style={{ left: '50%' }}>
          <span>threshold{threshold != null ? ` ${threshold.toPrecision(3)}` : ''}</span>
        </span>
        {score != null && (
          <span className="scale-marker" style={{ left: `${Math.min(1, Math.max(0, score)) * 100}%` }} data-testid="score-marker">
            <span>{anomalyScore != null ? anomalyScore.toPrecision(3) : score.toFixed(2)}</span>
          </span>
        )}
      </div>
      <figcaption className="row small muted" style={{ justifyContent: 'space-between' }}>
        <span>qualified</span>
        <span>normalised score {score == null ? '—' : score.toFixed(3)}; 0.5 is the threshold</span>
        <span>defective</span>
      </figcaption>
    </figure>
  );
}
