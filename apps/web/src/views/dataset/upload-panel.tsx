'use client';

import { useRef, useState, type DragEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ImageLabel, ImageSplit } from '@gansight/client';
import { apiClient } from '../../lib/api-client';
import { useFactory } from '../../lib/factory-session';
import { eachLimited, uploadOne, type UploadItem, type UploadState } from './upload-queue';

const LABELS: ImageLabel[] = ['QUALIFIED', 'DEFECTIVE', 'UNLABELED'];
const SPLITS: ImageSplit[] = ['TRAIN', 'VALIDATION', 'TEST', 'NONE'];

const STATE_TEXT: Record<UploadState['status'], string> = {
  waiting: 'waiting', uploading: 'uploading…', done: 'added', duplicate: 'already in the dataset', error: 'refused',
};

/** Drag-and-drop (or pick) many images; each file shows its own state and, if refused, why. */
export function UploadPanel({ productId }: { productId: string }) {
  const { factoryId } = useFactory();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [label, setLabel] = useState<ImageLabel>('QUALIFIED');
  const [split, setSplit] = useState<ImageSplit>('TRAIN');
  const [items, setItems] = useState<UploadItem[]>([]);
  const [over, setOver] = useState(false);

  const start = async (files: File[]) => {
    if (files.length === 0) return;
    const batch = files.map((f, i) => ({ file: f, item: { id: `${Date.now()}-${i}-${f.name}`, name: f.name, size: f.size, state: { status: 'waiting' } as UploadState } }));
    setItems((prev) => [...batch.map((b) => b.item), ...prev]);
    const set = (id: string, state: UploadState) => setItems((prev) => prev.map((it) => (it.id === id ? { ...it, state } : it)));
    await eachLimited(batch, 3, async ({ file, item }) => {
      set(item.id, { status: 'uploading' });
      set(item.id, await uploadOne(apiClient(factoryId), productId, file, { label, split }, (sent) => set(item.id, { status: 'uploading', sent })));
    });
    await queryClient.invalidateQueries({ queryKey: [factoryId, 'DatasetSummary'] });
    await queryClient.invalidateQueries({ queryKey: [factoryId, 'DatasetImages'] });
  };
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void start(Array.from(e.dataTransfer.files));
  };
  const counts = items.reduce<Record<string, number>>((c, it) => ({ ...c, [it.state.status]: (c[it.state.status] ?? 0) + 1 }), {});

  return (
    <section className="card" aria-label="Upload images">
      <h2>Add images</h2>
      <div className="row">
        <label>
          Label{' '}
          <select value={label} onChange={(e) => setLabel(e.target.value as ImageLabel)}>
            {LABELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          Split{' '}
          <select value={split} onChange={(e) => setSplit(e.target.value as ImageSplit)}>
            {SPLITS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <div
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p>Drop image files here, or</p>
        <button type="button" onClick={() => input.current?.click()}>
          Choose files…
        </button>
        <input ref={input} type="file" multiple accept="image/*" hidden data-testid="upload-input" onChange={(e) => void start(Array.from(e.target.files ?? [])).then(() => (e.target.value = ''))} />
      </div>
      {items.length > 0 && (
        <>
          <p className="small" role="status" data-testid="upload-summary">
            {counts.done ?? 0} added, {counts.duplicate ?? 0} duplicates, {counts.error ?? 0} refused
            {(counts.waiting ?? 0) + (counts.uploading ?? 0) > 0 ? `, ${(counts.waiting ?? 0) + (counts.uploading ?? 0)} to go` : ''}
          </p>
          <progress max={items.length} value={items.length - (counts.waiting ?? 0) - (counts.uploading ?? 0)} aria-label="Upload progress" />
          <ul className="upload-list">
            {items.map((it) => (
              <li key={it.id} className={`upload-${it.state.status}`}>
                <span className="name">{it.name}</span>
                <span className="muted small">{(it.size / 1024).toFixed(1)} KB</span>
                <span className="status">{STATE_TEXT[it.state.status]}</span>
                {it.state.status === 'uploading' && <progress max={it.size} value={it.state.sent} aria-label={`Upload of ${it.name}`} />}
                {it.state.status === 'error' && <span className="form-error small">{it.state.message}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
