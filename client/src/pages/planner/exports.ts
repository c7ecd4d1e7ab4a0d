/**
 * The desk's downloads: a file handed to the browser through an anchor, and the map as a PNG of
 * what is on screen (maplibre's basemap with deck.gl's layers over it).
 */
import type { Map as MaplibreMap } from 'maplibre-gl';

/** Saves `blob` as `fileName` through a temporary anchor (the browser's own download). */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoked after the browser has started reading it; at once would cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The map as drawn, at the basemap canvas's pixel size. maplibre clears its drawing buffer after
 * each frame (no `preserveDrawingBuffer`, which would slow every frame of the wall), so it is read
 * inside a `render` event, while the frame just drawn is still there. deck.gl's overlay canvas
 * (MapboxOverlay, not interleaved: a second canvas over the map) keeps its buffer by default, so
 * its last frame is read in the same moment and laid on top.
 */
export function mapPng(map: MaplibreMap, background: string): Promise<Blob> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      try {
        const base = map.getCanvas();
        const out = document.createElement('canvas');
        out.width = base.width;
        out.height = base.height;
        const context = out.getContext('2d');
        if (!context) throw new Error('no 2D canvas');
        // The page's background shows through the basemap's transparent parts on screen: so in the file.
        context.fillStyle = background;
        context.fillRect(0, 0, out.width, out.height);
        context.drawImage(base, 0, 0);
        for (const canvas of map.getContainer().querySelectorAll('canvas')) {
          if (canvas !== base && canvas.width > 0 && canvas.height > 0) context.drawImage(canvas, 0, 0, out.width, out.height);
        }
        out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png');
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    map.triggerRepaint();
  });
}
