'use client';

import { useState, type FormEvent } from 'react';
import { ChangePasswordDocument } from '@gansight/client';
import { useApiMutation } from '../lib/use-api';
import { useFactory } from '../lib/factory-session';

/** The API asks for 12+ characters; checked here too so the user hears it before sending. */
const MIN_PASSWORD = 12;

export function ChangePasswordForm() {
  const { email } = useFactory();
  const change = useApiMutation(ChangePasswordDocument);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const next = String(form.get('newPassword'));
    if (next.length < MIN_PASSWORD) return setProblem(`The new password needs at least ${MIN_PASSWORD} characters.`);
    if (next !== String(form.get('repeat'))) return setProblem('The two new passwords differ.');
    setProblem(null);
    change.mutate({ currentPassword: String(form.get('currentPassword')), newPassword: next }, { onSuccess: () => formEl.reset() });
  };

  return (
    <form className="card form" onSubmit={submit} aria-label="Change password">
      <h2>Change password</h2>
      <p className="muted">Signed in as {email}.</p>
      <input type="text" name="username" autoComplete="username" value={email ?? ''} readOnly hidden />
      <label>
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password
        <input name="newPassword" type="password" autoComplete="new-password" minLength={MIN_PASSWORD} required />
      </label>
      <label>
        New password again
        <input name="repeat" type="password" autoComplete="new-password" required />
      </label>
      {(problem || change.error) && (
        <p className="form-error" role="alert">
          {problem ?? change.error?.message}
        </p>
      )}
      {change.isSuccess && !problem && <p role="status" className="ok">Password changed.</p>}
      <button type="submit" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
