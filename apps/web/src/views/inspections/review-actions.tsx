'use client';

import { ReviewInspectionDocument, type Verdict } from '@gansight/client';
import { useApiMutation } from '../../lib/use-api';

/** Confirm or overturn the model's verdict (MANAGER and up; the API checks it too). */
export function ReviewActions({ inspection, onReviewed }: { inspection: { id: string; verdict: Verdict | null; reviewVerdict: Verdict | null }; onReviewed?: () => void }) {
  const review = useApiMutation(ReviewInspectionDocument, [ReviewInspectionDocument]);
  if (!inspection.verdict) return null;
  const other: Verdict = inspection.verdict === 'PASS' ? 'FAIL' : 'PASS';
  const send = (verdict: Verdict) => review.mutate({ id: inspection.id, verdict }, { onSuccess: () => onReviewed?.() });
  return (
    <div className="row review-actions" role="group" aria-label="Review">
      <button type="button" className="primary" disabled={review.isPending} onClick={() => send(inspection.verdict!)}>
        Confirm {inspection.verdict}
      </button>
      <button type="button" className="danger" disabled={review.isPending} onClick={() => send(other)}>
        Overturn to {other}
      </button>
      {inspection.reviewVerdict && <span className="muted small">Reviewed: {inspection.reviewVerdict}</span>}
      {review.error && (
        <span className="form-error" role="alert">
          {review.error.message}
        </span>
      )}
    </div>
  );
}
