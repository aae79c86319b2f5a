'use client';

import { useRef, type ReactNode } from 'react';

/** A button that asks first, in a modal dialog (keyboard: Esc cancels, focus stays inside). */
export function ConfirmButton({ label, title, children, confirmLabel, onConfirm, disabled, className }: { label: string; title: string; children: ReactNode; confirmLabel: string; onConfirm: () => void; disabled?: boolean; className?: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={className} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} className="confirm" aria-label={title}>
        <h2>{title}</h2>
        <div>{children}</div>
        <form method="dialog" className="row" style={{ justifyContent: 'flex-end', marginTop: '1rem' }}>
          <button type="submit" value="cancel">
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </button>
        </form>
      </dialog>
    </>
  );
}
