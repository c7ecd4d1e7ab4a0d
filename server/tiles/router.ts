/**
 * `GET /tiles/parcels/{z}/{x}/{y}.pbf`: parcel vector tiles for the map (signed-in users; the
 * page's sign-in cookie goes with maplibre's same-origin requests). 200 with the tile, 204 where
 * no parcel lies, 400 for an address that is no tile; `ETag` + `Cache-Control: no-cache`, so a
 * browser asks again each time but gets a bodiless 304 while the tile has not changed.
 */
import express, { type Router } from 'express';
import { ApiError } from '../http/errors.ts';
import type { ResolveToken } from '../auth/principal.ts';
import { authenticate, requireCapability } from '../http/auth.ts';
import { createParcelTiles, type ParcelTilesOptions } from './parcel-tile-service.ts';
import { isTileAddress, PARCEL_TILE_MAX_ZOOM } from './parcel-tiles.ts';

export interface ParcelTilesRouterDeps extends ParcelTilesOptions {
  resolveToken: ResolveToken;
  /**
   * Several server nodes: resolves once this node has been handed every event committed before the
   * call (never rejects). A tile asked for after a parcel change anywhere then shows the change:
   * the change's event invalidates the index before the tile is cut.
   */
  caughtUp?: () => Promise<void>;
}

export interface ParcelTilesRouter {
  /** Mount at `/tiles`. */
  router: Router;
  /** Call on `parcel:created`, `parcel:stepped` and `parcels:imported`. */
  invalidate(): void;
  close(): void;
}

const TILE_PATH = /^\/parcels\/(\d{1,2})\/(\d{1,6})\/(\d{1,6})\.pbf$/;

export function parcelTilesRouter(deps: ParcelTilesRouterDeps): ParcelTilesRouter {
  const tiles = createParcelTiles(deps);
  const router = express.Router();
  router.use(authenticate(deps.resolveToken));
  router.get(/^\/parcels\/.*/, requireCapability('city:read'), async (req, res, next) => {
    try {
      const match = TILE_PATH.exec(req.path);
      const [z, x, y] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [NaN, NaN, NaN];
      if (!isTileAddress(z, x, y)) {
        throw new ApiError(
          'invalid_query',
          `no parcel tile at ${req.path}: ask for /tiles/parcels/{z}/{x}/{y}.pbf with whole numbers, z from 0 to ${PARCEL_TILE_MAX_ZOOM} (the map over-zooms beyond) and x, y from 0 to 2^z − 1`,
        );
      }
      await deps.caughtUp?.();
      const tile = (await tiles.current()).tile(z, x, y);
      res.set('Cache-Control', 'private, no-cache');
      if (!tile) {
        res.status(204).end();
        return;
      }
      // Gzip only when asked: a client that sends no Accept-Encoding gets the plain protobuf.
      const gzip = req.headers['accept-encoding'] !== undefined && req.acceptsEncodings('gzip') === 'gzip';
      res.set('Vary', 'Accept-Encoding');
      res.type('application/x-protobuf');
      // The gzipped body is another representation: it gets its own tag.
      res.set('ETag', gzip ? `${tile.etag.slice(0, -1)}-gz"` : tile.etag);
      if (gzip) res.set('Content-Encoding', 'gzip');
      res.send(gzip ? tile.gzipped : tile.bytes); // answers 304 itself when If-None-Match matches
    } catch (err) {
      next(err);
    }
  });
  return { router, invalidate: tiles.invalidate, close: tiles.close };
}
