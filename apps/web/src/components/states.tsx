import type { ReactNode } from 'react';

/** A placeholder of the final height, so content arriving does not move the page. */
export function Loading({ label = 'Loading…', height = 120 }: { label?: string; height?: number }) {
  return (
    <div className="state loading" style={{ minHeight: height }} role="status" aria-live="polite">
      <span className="spinner" aria-hidden /> {label}
    </div>
  );
}

/** An error the user can act on: the API's message, and a retry where it helps. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as { message: string }).message : String(error);
  const code = (error as { code?: string } | null)?.code;
  return (
    <div className="state error" role="alert">
      <strong>{code === 'FORBIDDEN' ? 'Not allowed' : code === 'NOT_FOUND' ? 'Not found' : 'Something went wrong'}</strong>
      <p>{message}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}
