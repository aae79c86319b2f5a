'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { LoginDocument } from '@gansight/client';
import { apiClient } from '../lib/api-client';
import { homePath } from '../lib/roles';

/** Only paths of this site, so a crafted link cannot send a signed-in user elsewhere. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
}

/**
 * Email and password; the API answers with the session as an HttpOnly cookie (through the
 * /graphql proxy, so it belongs to this origin). The token in the answer is not kept by the page.
 */
export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The page is served as HTML before React takes it over; until then the button stays disabled,
  // so a quick click cannot submit the form natively (and put the password in a URL).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { login } = await apiClient().request(LoginDocument, { email: String(form.get('email')), password: String(form.get('password')) });
      queryClient.clear();
      const next = safeNext(params.get('next'));
      const only = login.factories.length === 1 ? login.factories[0] : undefined;
      router.replace(next ?? (only ? homePath(only.factory.id, only.role) : '/'));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <form className="card form" method="post" onSubmit={(e) => void submit(e)} aria-label="Sign in">
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || !ready}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="muted small">Invited? Sign in with your email and the invitation code as the password.</p>
    </form>
  );
}
