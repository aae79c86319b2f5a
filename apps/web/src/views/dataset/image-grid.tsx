'use client';

import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DatasetImagesQuery } from '@gansight/client';

export type DatasetImage = DatasetImagesQuery['images']['edges'][number]['node'];

const TILE = 132;

/** Thumbnails in a virtualised grid (rows of as many tiles as fit); click selects, shift-click adds. */
export function ImageGrid({ images, selected, onSelect, hasMore, onNeedMore }: { images: DatasetImage[]; selected: Set<string>; onSelect: (id: string, add: boolean) => void; hasMore: boolean; onNeedMore: () => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(6);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setColumns(Math.max(1, Math.floor(el.clientWidth / TILE))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const rows = Math.ceil(images.length / columns);
  const virtual = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => TILE, overscan: 3 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows - 2 && hasMore) onNeedMore();
  }, [last, rows, hasMore, onNeedMore]);
  return (
    <div ref={scroller} className="image-grid" data-testid="image-grid">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {items.map((row) => (
          <div key={row.key} className="image-row" style={{ transform: `translateY(${row.start}px)`, height: TILE }}>
            {images.slice(row.index * columns, row.index * columns + columns).map((img) => (
              <button
                type="button"
                key={img.id}
                className={`tile${selected.has(img.id) ? ' selected' : ''}`}
                aria-pressed={selected.has(img.id)}
                aria-label={`Image ${img.id.slice(-6)}, ${img.label}, ${img.split}`}
                onClick={(e) => onSelect(img.id, e.shiftKey || e.metaKey || e.ctrlKey)}
              >
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={img.url} alt="" loading="lazy" className="pixelated" />
                <span className={`pill ${img.label}`}>{img.label.toLowerCase()}</span>
                <span className="pill split">{img.split.toLowerCase()}</span>
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
