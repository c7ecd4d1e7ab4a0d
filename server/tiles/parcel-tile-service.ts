/**
 * Keeps the parcel tile index in step with the store: built on first use, and after `invalidate()`
 * (a parcel created, stepped or imported) rebuilt once the changes stop coming for `debounceMs`
 * (a bulk import or a burst of steps costs one rebuild). A tile asked for after a change is never
 * cut from parcels loaded before it: the request waits for an index loaded after the change.
 */
import type { Logger } from 'pino';
import { ParcelTileIndex, type ParcelTileIndexOptions, type ParcelTileSource } from './parcel-tiles.ts';

export interface ParcelTilesOptions extends ParcelTileIndexOptions {
  /** Every parcel, as stored now. */
  load: () => Promise<readonly ParcelTileSource[]>;
  /** Quiet time after the last change before the index is rebuilt unasked. @default 500 */
  debounceMs?: number;
  logger?: Pick<Logger, 'info' | 'error'>;
}

export interface ParcelTiles {
  /** The index reflecting every change made before this call (waits for a rebuild if needed). */
  current(): Promise<ParcelTileIndex>;
  /** Parcels changed: the next tile served comes from a fresh index. Cheap; call it per change. */
  invalidate(): void;
  /** Stops a pending rebuild timer (server shutdown). */
  close(): void;
}

export function createParcelTiles(options: ParcelTilesOptions): ParcelTiles {
  const debounceMs = options.debounceMs ?? 500;
  /** Bumped by every change; an index remembers the version its parcels were loaded at. */
  let version = 0;
  let built: { index: ParcelTileIndex; version: number } | null = null;
  let building: Promise<{ index: ParcelTileIndex; version: number }> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const build = (): Promise<{ index: ParcelTileIndex; version: number }> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    building ??= (async () => {
      const loadedAt = version; // changes after this instant may be missing from what `load` returns
      const started = performance.now();
      try {
        const parcels = await options.load();
        const index = new ParcelTileIndex(parcels, options);
        const result = { index, version: loadedAt };
        if (!built || built.version < loadedAt) built = result;
        options.logger?.info({ parcels: index.size, ms: Math.round(performance.now() - started) }, 'parcel tiles: index built');
        return result;
      } finally {
        building = null;
      }
    })();
    return building;
  };

  return {
    async current() {
      const wanted = version;
      // A build under way may have loaded before the latest change; then one more follows it.
      while (!built || built.version < wanted) await build();
      return built.index;
    },
    invalidate() {
      version++;
      if (closed) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        build().catch((err: unknown) => options.logger?.error({ err }, 'parcel tiles: rebuilding the index failed; the next tile request retries'));
      }, debounceMs);
      timer.unref();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
