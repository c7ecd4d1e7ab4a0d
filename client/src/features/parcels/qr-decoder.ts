/**
 * Reads QR codes from camera frames: the browser's `BarcodeDetector` where it has one with
 * `qr_code` (Android, ChromeOS, macOS), else jsQR on canvas pixels (desktop Chrome on Windows and
 * Linux, Firefox), loaded only when a scan starts.
 */

/** The part of the Barcode Detection API used here (not yet in TypeScript's DOM types). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

export interface QrDecoder {
  /** `browser` or `jsqr`: which one reads the frames (shown as a data attribute for support). */
  kind: 'browser' | 'jsqr';
  /** The text of a QR code in the video's current frame, or `null` when none is seen. */
  decode(video: HTMLVideoElement): Promise<string | null>;
}

/** jsQR is fast enough at this width; a 1080p frame would cost ~4× as much for no gain. */
const MAX_FRAME_WIDTH = 640;

async function browserDecoder(): Promise<QrDecoder | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return null;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return null;
    const detector = new Detector({ formats: ['qr_code'] });
    return {
      kind: 'browser',
      decode: async (video) => (await detector.detect(video))[0]?.rawValue ?? null,
    };
  } catch {
    return null;
  }
}

async function jsqrDecoder(): Promise<QrDecoder | null> {
  let jsQR: typeof import('jsqr').default;
  try {
    jsQR = (await import('jsqr')).default;
  } catch {
    return null;
  }
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  return {
    kind: 'jsqr',
    decode: async (video) => {
      if (video.videoWidth === 0 || video.videoHeight === 0) return null;
      const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
      const width = Math.round(video.videoWidth * scale);
      const height = Math.round(video.videoHeight * scale);
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== height) canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const { data } = context.getImageData(0, 0, width, height);
      return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
    },
  };
}

/** The best decoder this browser offers, or `null` when it can read no QR code at all. */
export async function createQrDecoder(): Promise<QrDecoder | null> {
  return (await browserDecoder()) ?? (await jsqrDecoder());
}
