import { Suspense } from 'react';
import { HealthPanel } from '../../src/components/health-panel';
import { LoginForm } from '../../src/components/login-form';

export const metadata = { title: 'Sign in · Gansight' };

export default function LoginPage() {
  return (
    <main className="page narrow">
      <h1>Sign in to Gansight</h1>
      <p className="muted">Gansight judges each image by how well a GAN trained on good parts can reproduce it.</p>
      {/* useSearchParams (the page to return to) needs a boundary for the static build. */}
      <Suspense fallback={null}>
        <LoginForm />
      </Suspense>
      <HealthPanel />
    </main>
  );
}
