/** Decodes our QR images with jsQR, a decoder independent of the `qrcode` package that draws them. */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The text of a QR code PNG, its width in pixels and its QR version. */
export function decodePng(buffer: Buffer): { text: string | null; width: number; version: number } {
  const png = PNG.sync.read(buffer);
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return { text: found?.data ?? null, width: png.width, version: found?.version ?? 0 };
}

/**
 * Rasterises the module rectangles of our SVG (`M x y h w v1 h-w z`, one user unit per module)
 * at 4 px per unit onto white, for jsQR. Anything else in the SVG (the caption) is left out.
 */
export function decodeSvg(svg: string): string | null {
  const [, w = '0', h = '0'] = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg) ?? [];
  const px = 4;
  const width = Math.ceil(Number(w)) * px;
  const height = Math.ceil(Number(h)) * px;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  const d = /<path fill="#000" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const [, x, y, run] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let yy = Number(y) * px; yy < (Number(y) + 1) * px; yy++) {
      for (let xx = Number(x) * px; xx < (Number(x) + Number(run)) * px; xx++) {
        const i = (yy * width + xx) * 4;
        rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
      }
    }
  }
  return jsQR(rgba, width, height)?.data ?? null;
}
