'use client';

import { useParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import {
  AssignImageSplitDocument, DatasetImagesDocument, DatasetSummaryDocument, DefectTypesDocument, LabelImageDocument,
  type DatasetImagesQuery, type GansightApiError, type ImageFilter, type ImageLabel, type ImageSplit,
} from '@gansight/client';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { apiClient } from '../../lib/api-client';
import { useCan, useFactory } from '../../lib/factory-session';
import { useApiMutation, useApiQuery } from '../../lib/use-api';
import { useUrlState } from '../../lib/url-state';
import { ImageGrid } from './image-grid';
import { UploadPanel } from './upload-panel';

const LABELS: ImageLabel[] = ['QUALIFIED', 'DEFECTIVE', 'UNLABELED'];
const SPLITS: ImageSplit[] = ['TRAIN', 'VALIDATION', 'TEST', 'NONE'];

/** A product's images: counts per label and split, readiness to train, upload, grid, relabel. */
export function DatasetView() {
  const { productId } = useParams<{ productId: string }>();
  const { factoryId } = useFactory();
  const canEdit = useCan('ENGINEER');
  const [params, setParams] = useUrlState();
  const label = params.get('label') as ImageLabel | null;
  const split = params.get('split') as ImageSplit | null;
  const filter = useMemo<ImageFilter>(() => ({ productId, ...(label ? { label } : {}), ...(split ? { split } : {}) }), [productId, label, split]);
  const summary = useApiQuery(DatasetSummaryDocument, { productId });
  const defectTypes = useApiQuery(DefectTypesDocument, { productId, first: 100 });
  const images = useInfiniteQuery<DatasetImagesQuery, GansightApiError>({
    queryKey: [factoryId, 'DatasetImages', filter],
    queryFn: ({ pageParam }) => apiClient(factoryId).request(DatasetImagesDocument, { filter, first: 100, after: (pageParam as string | null) ?? null }),
    initialPageParam: null,
    getNextPageParam: (last) => (last.images.pageInfo.hasNextPage ? last.images.pageInfo.endCursor : undefined),
  });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const relabel = useApiMutation(LabelImageDocument, [DatasetImagesDocument, DatasetSummaryDocument]);
  const resplit = useApiMutation(AssignImageSplitDocument, [DatasetImagesDocument, DatasetSummaryDocument]);
  const list = images.data?.pages.flatMap((p) => p.images.edges.map((e) => e.node)) ?? [];
  const onSelect = useCallback((id: string, add: boolean) => {
    setSelected((prev) => {
      const next = new Set(add ? prev : []);
      if (prev.has(id) && add) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const needMore = useCallback(() => {
    if (!images.isFetchingNextPage) void images.fetchNextPage();
  }, [images]);
  const count = (l: ImageLabel, s: ImageSplit) => summary.data?.datasetSummary.counts.find((c) => c.label === l && c.split === s)?.count ?? 0;
  const s = summary.data?.datasetSummary;

  const applyLabel = async (newLabel: ImageLabel, defectTypeId: string | null) => {
    for (const id of selected) await relabel.mutateAsync({ id, label: newLabel, defectTypeId: newLabel === 'DEFECTIVE' ? defectTypeId : null });
  };

  return (
    <>
      <section className="card" aria-label="Counts">
        <div className="page-head">
          <h2>Images per label and split</h2>
          {s && (
            <span className={`pill ${s.readyToTrain ? 'READY' : 'FAILED'}`} data-testid="ready-to-train">
              {s.readyToTrain ? 'ready to train' : 'not ready to train'}
            </span>
          )}
        </div>
        {summary.isError ? (
          <ErrorState error={summary.error} />
        ) : (
          <table className="data counts" aria-label="Image counts">
            <thead>
              <tr>
                <th />
                {SPLITS.map((sp) => (
                  <th key={sp}>{sp.toLowerCase()}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {LABELS.map((l) => (
                <tr key={l}>
                  <th>{l.toLowerCase()}</th>
                  {SPLITS.map((sp) => (
                    <td key={sp}>
                      <button type="button" className="link-button" onClick={() => setParams({ label: l, split: sp })}>
                        {summary.isPending ? '…' : count(l, sp)}
                      </button>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {s && !s.readyToTrain && (
          <p className="muted small">
            Training needs {s.minTrainImages} qualified TRAIN images ({s.trainQualified} now) and {s.minValidationImages} qualified VALIDATION images to calibrate
            its threshold ({s.validationQualified} now).
          </p>
        )}
      </section>
      {canEdit && <UploadPanel productId={productId} />}
      <section className="card" aria-label="Images">
        <div className="row filters">
          <label className="filter">
            Label
            <select value={label ?? ''} onChange={(e) => setParams({ label: e.target.value || null })}>
              <option value="">any</option>
              {LABELS.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
          <label className="filter">
            Split
            <select value={split ?? ''} onChange={(e) => setParams({ split: e.target.value || null })}>
              <option value="">any</option>
              {SPLITS.map((sp) => (
                <option key={sp}>{sp}</option>
              ))}
            </select>
          </label>
          {canEdit && selected.size > 0 && (
            <div className="row selection" role="group" aria-label="Selected images">
              <span>{selected.size} selected</span>
              <select aria-label="Set label" value="" onChange={(e) => e.target.value && void applyLabel(e.target.value as ImageLabel, null)}>
                <option value="">Set label…</option>
                {LABELS.map((l) => (
                  <option key={l}>{l}</option>
                ))}
              </select>
              {(defectTypes.data?.defectTypes.edges.length ?? 0) > 0 && (
                <select aria-label="Defect type" value="" onChange={(e) => e.target.value && void applyLabel('DEFECTIVE', e.target.value)}>
                  <option value="">Defective, type…</option>
                  {defectTypes.data!.defectTypes.edges.map((d) => (
                    <option key={d.node.id} value={d.node.id}>
                      {d.node.name}
                    </option>
                  ))}
                </select>
              )}
              <select aria-label="Move to split" value="" onChange={(e) => e.target.value && resplit.mutate({ ids: [...selected], split: e.target.value as ImageSplit })}>
                <option value="">Move to split…</option>
                {SPLITS.map((sp) => (
                  <option key={sp}>{sp}</option>
                ))}
              </select>
              <button type="button" onClick={() => setSelected(new Set())}>
                Clear
              </button>
            </div>
          )}
        </div>
        {(relabel.error || resplit.error) && <p className="form-error">{(relabel.error ?? resplit.error)!.message}</p>}
        {images.isPending ? (
          <Loading height={400} />
        ) : images.isError ? (
          <ErrorState error={images.error} onRetry={() => void images.refetch()} />
        ) : list.length === 0 ? (
          <EmptyState title="No images here yet">{canEdit ? 'Drop images above: qualified parts in TRAIN and VALIDATION, labelled defects in TEST.' : ''}</EmptyState>
        ) : (
          <ImageGrid images={list} selected={selected} onSelect={onSelect} hasMore={images.hasNextPage} onNeedMore={needMore} />
        )}
      </section>
    </>
  );
}
