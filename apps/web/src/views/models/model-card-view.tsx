'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { ActivateModelDocument, ModelCardDocument, ModelsDocument, ProductDocument } from '@gansight/client';
import { ConfirmButton } from '../../components/confirm-button';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useCan, useFactory } from '../../lib/factory-session';
import { formatInstant } from '../../lib/time-zone';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { EvaluationPanel } from './evaluation-panel';
import { InterpolationStrip } from './interpolation-strip';
import { LiveTraining } from './live-training';
import { LossesChart, type LossSample } from './losses-chart';
import { SampleGrids } from './sample-grids';
import { TsneChart, type Tsne } from './tsne-chart';

type CardMetrics = {
  generatorFrechet?: number | null;
  generatorCheck?: { tsne?: Tsne; error?: string; generatedSamples?: number; realSamples?: number };
  training?: { steps: number; trainImages: number; validationImages: number; heldOutFromTrain: number };
};

/** A model version's card: live training while it trains, then losses, generator check, evaluation, activation. */
export function ModelCardView() {
  const { modelId } = useParams<{ modelId: string }>();
  const { factoryId, timeZone } = useFactory();
  const canActivate = useCan('ENGINEER');
  const card = useApiQuery(ModelCardDocument, { id: modelId }, {
    refetchInterval: (q) => {
      const m = q.state.data?.model;
      const evaluating = m?.evaluations.edges.some((e) => e.node.status === 'QUEUED' || e.node.status === 'RUNNING');
      return m && (m.status === 'QUEUED' || m.status === 'TRAINING' || evaluating) ? 5000 : false;
    },
  });
  const model = card.data?.model;
  const product = useApiQuery(ProductDocument, { id: model?.productId ?? '' }, { enabled: !!model });
  const activate = useApiMutation(ActivateModelDocument, [ModelCardDocument, ModelsDocument, ProductDocument]);
  if (card.isPending) return <Loading height={500} />;
  if (card.isError || !model) return <ErrorState error={card.error} onRetry={() => void card.refetch()} />;
  const run = model.trainingRuns.edges[0]?.node ?? null;
  const metrics = (model.metrics ?? {}) as CardMetrics;
  const training = model.status === 'QUEUED' || model.status === 'TRAINING';
  const tsne = metrics.generatorCheck?.tsne;

  return (
    <>
      <div className="page-head">
        <h1>
          {product.data?.product.name ?? 'Model'} v{model.version} <span className={`pill ${model.status}`}>{model.status.toLowerCase()}</span>
          {model.isActive && <span className="pill READY">active</span>}
        </h1>
        <div className="row">
          <Link href={`/f/${factoryId}/products/${model.productId}/models`}>All versions</Link>
          {canActivate && model.status === 'READY' && !model.isActive && (
            <ConfirmButton
              label="Activate"
              className="primary"
              title={`Activate v${model.version}?`}
              confirmLabel="Activate"
              disabled={activate.isPending}
              onConfirm={() => activate.mutate({ id: model.id })}
            >
              From now on every inspection of this product is judged by v{model.version} (threshold {model.threshold?.toPrecision(4)}). Inspections already done keep their verdicts.
            </ConfirmButton>
          )}
        </div>
      </div>
      {activate.error && <p className="form-error">{activate.error.message}</p>}
      <p className="muted small">
        Created {formatInstant(model.createdAt, timeZone)}
        {model.trainedAt && ` · trained ${formatInstant(model.trainedAt, timeZone)}`}
        {model.backend && ` · on ${model.backend}`}
        {metrics.training && ` · ${metrics.training.trainImages} training images, ${metrics.training.validationImages} for calibration`}
      </p>
      {model.error && <ErrorState error={{ code: 'FAILED', message: model.error }} />}
      {training && run && <LiveTraining key={run.id} run={run} onFinished={() => void card.refetch()} />}
      {!training && (
        <>
          <section className="card">
            <h2>Losses</h2>
            {run && Array.isArray(run.losses) && run.losses.length ? <LossesChart samples={run.losses as LossSample[]} totalSteps={run.totalSteps} /> : <EmptyState title="No losses recorded" />}
          </section>
          <section className="grid-2">
            <div className="card">
              <h2>Generator check</h2>
              <p>
                Frechet distance of generated to qualified latents: <strong data-testid="generator-frechet">{metrics.generatorFrechet != null ? metrics.generatorFrechet.toPrecision(4) : '—'}</strong>
              </p>
              {metrics.generatorCheck?.error && <p className="form-error small">{metrics.generatorCheck.error}</p>}
              {tsne ? <TsneChart tsne={tsne} /> : <p className="muted">No t-SNE for this version.</p>}
            </div>
            <div className="card">
              <h2>Samples</h2>
              <SampleGrids grids={model.samples} />
              <p className="small">
                Threshold <strong>{model.threshold?.toPrecision(4) ?? '—'}</strong> (raw combined score)
              </p>
              <details>
                <summary>Hyper-parameters</summary>
                <pre className="small">{JSON.stringify(model.hyperParameters, null, 2)}</pre>
              </details>
            </div>
          </section>
          <EvaluationPanel modelId={model.id} evaluation={model.evaluations.edges[0]?.node ?? null} modelReady={model.status === 'READY'} />
          <InterpolationStrip modelId={model.id} productId={model.productId} modelReady={model.status === 'READY'} />
        </>
      )}
    </>
  );
}
