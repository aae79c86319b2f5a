import { HealthPanel } from './components/health-panel';

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <p className="muted">
        Gansight judges each image by how well a GAN trained on good parts can reproduce it.
      </p>
      <HealthPanel />
    </>
  );
}
