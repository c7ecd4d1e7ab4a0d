/**
 * `/api/v1/parcels/{code}/qr.svg` and `qr.png`: the QR code to print on a parcel's site board
 * (docs/domain.md §6.4). It encodes only the public page `/p/{code}`, so it is public too (no token) and
 * cached for a day: a parcel's code and address never change.
 */
import { Router, type Request, type Response } from 'express';
import QRCode from 'qrcode';
import { parseLandCode } from '../contract/land-code.ts';
import type { Sql } from '../store/database.ts';
import { getParcel } from '../store/parcels.ts';
import { ApiError } from './errors.ts';
import type { PublicBase } from './public-url.ts';

export interface ParcelQrDeps {
  db: Sql;
  /** Origin (and path prefix, if any) the public page is reached at, and whether it depends on `Host`. */
  publicBaseUrl: (req: Request) => PublicBase;
}

/** Quiet zone in modules: the standard asks for 4; 2 scans reliably on a printed board and saves space. */
export const QR_MARGIN = 2;
/** Pixels per module of the PNG: ~300 px for a typical parcel URL, sharp when printed at 3 cm. */
export const QR_PNG_SCALE = 8;
const QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;

/** The public page of a parcel: what its QR code says. */
export const parcelPublicUrl = (baseUrl: string, code: string): string => `${baseUrl.replace(/\/+$/, '')}/p/${code}`;

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The QR code of `url` as SVG, one module per user unit, black on white, with `caption` (the land
 * code) printed below so a person can type it when the camera fails.
 */
export function parcelQrSvg(url: string, caption: string): string {
  const { modules } = QRCode.create(url, QR_OPTIONS);
  const size = modules.size;
  const side = size + 2 * QR_MARGIN;
  // One rectangle per horizontal run of dark modules: compact and exact (no strokes to anti-alias).
  let d = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && modules.get(row, col)) col++;
      d += `M${start + QR_MARGIN} ${row + QR_MARGIN}h${col - start}v1h-${col - start}z`;
    }
  }
  // Monospace glyphs are ~0.6 em wide: keep the caption within the code's width.
  const fontSize = Math.min(3, (side - 2) / (0.62 * Math.max(caption.length, 1)));
  const captionHeight = Math.ceil(fontSize * 1.6);
  const height = side + captionHeight;
  const px = QR_PNG_SCALE;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${height}" width="${side * px}" height="${height * px}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(caption)}</title>` +
    `<rect width="${side}" height="${height}" fill="#fff"/>` +
    `<path fill="#000" d="${d}"/>` +
    `<text x="${side / 2}" y="${side + fontSize * 0.9}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${Math.round(fontSize * 100) / 100}" text-anchor="middle" fill="#000">${escapeXml(caption)}</text>` +
    `</svg>\n`
  );
}

/** The QR code of `url` as PNG, {@link QR_PNG_SCALE} px per module. */
export function parcelQrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', margin: QR_MARGIN, scale: QR_PNG_SCALE });
}

export function parcelQrRouter(deps: ParcelQrDeps): Router {
  const router = Router();

  /** The canonical code of an existing parcel, or an ApiError saying what is wrong with it. */
  async function existingCode(raw: string): Promise<string> {
    const parsed = parseLandCode(raw);
    if (!parsed.ok) throw new ApiError('not_found', parsed.message, [{ path: 'code', message: parsed.message }]);
    if (!(await getParcel(deps.db, parsed.code))) throw new ApiError('not_found', `no parcel has the land code ${parsed.code}`);
    return parsed.code;
  }

  function send(res: Response, base: PublicBase, type: string, filename: string, body: string | Buffer): void {
    // Cached publicly for a day: when the URL inside came from the Host header, per Host.
    if (base.variesWithHost) res.vary('Host');
    res
      .status(200)
      .set({
        'Content-Type': type,
        'Cache-Control': 'public, max-age=86400',
        'Content-Disposition': `inline; filename="${filename}"`,
        'X-Content-Type-Options': 'nosniff',
      })
      .send(body);
  }

  router.get('/:code/qr.svg', async (req, res) => {
    const code = await existingCode(String(req.params.code));
    const base = deps.publicBaseUrl(req);
    send(res, base, 'image/svg+xml; charset=utf-8', `${code}.svg`, parcelQrSvg(parcelPublicUrl(base.url, code), code));
  });

  router.get('/:code/qr.png', async (req, res) => {
    const code = await existingCode(String(req.params.code));
    const base = deps.publicBaseUrl(req);
    send(res, base, 'image/png', `${code}.png`, await parcelQrPng(parcelPublicUrl(base.url, code)));
  });

  return router;
}
