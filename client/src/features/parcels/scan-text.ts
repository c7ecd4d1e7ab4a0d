/**
 * What a scanned QR code says, and why a camera could not be used: pure functions, so the scanner
 * component only moves pixels and the decisions are tested here.
 */
import { classifyParcelQuery } from './parcel-query.ts';

export type ScanResult =
  | { ok: true; code: string }
  | { ok: false; reason: 'empty' }
  /** A QR code, but not one of ours (another URL, or text that is no land code). */
  | { ok: false; reason: 'not-parcel'; text: string }
  /** A land code whose check character is wrong (a hand-made or damaged code). */
  | { ok: false; reason: 'mistyped'; code: string; expected: string };

/** `/p/{code}` at the end of a path, with or without a trailing slash. */
const PUBLIC_PAGE = /\/p\/([^/]+)\/?$/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The land code in a QR code's text: the public page URL a parcel's code encodes
 * (`https://host/p/330106-2026-00042-0`, any host, query and fragment ignored), the same path
 * without a host, or a bare land code.
 */
export function codeFromScannedText(raw: string): ScanResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  let candidate = text;
  if (HAS_SCHEME.test(text) || text.startsWith('/')) {
    let pathname: string;
    try {
      pathname = new URL(text, 'http://parcel.invalid').pathname;
    } catch {
      return { ok: false, reason: 'not-parcel', text };
    }
    const match = PUBLIC_PAGE.exec(pathname);
    if (!match?.[1]) return { ok: false, reason: 'not-parcel', text };
    try {
      candidate = decodeURIComponent(match[1]);
    } catch {
      return { ok: false, reason: 'not-parcel', text };
    }
  }
  const query = classifyParcelQuery(candidate);
  if (query.kind === 'code') return { ok: true, code: query.code };
  if (query.kind === 'mistyped') return { ok: false, reason: 'mistyped', code: query.code, expected: query.expected };
  return { ok: false, reason: 'not-parcel', text };
}

export type CameraProblem = 'unsupported' | 'insecure' | 'denied' | 'no-camera' | 'busy' | 'failed';

/** What this page can do before asking for the camera. */
export interface CameraSupport {
  /** `navigator.mediaDevices.getUserMedia` exists. */
  getUserMedia: boolean;
  /** `window.isSecureContext`: browsers give the camera only to HTTPS pages and localhost. */
  secureContext: boolean;
}

/** Why scanning cannot start, or `null` when the camera may be asked for. */
export function cameraProblemBeforeAsking(support: CameraSupport): CameraProblem | null {
  if (!support.secureContext) return 'insecure';
  if (!support.getUserMedia) return 'unsupported';
  return null;
}

/** The `getUserMedia` rejection, by its DOMException name (older Chrome names included). */
export function cameraProblemOf(error: unknown): CameraProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotReadableError':
    case 'TrackStartError':
      return 'busy';
    case 'TypeError':
    case 'NotSupportedError':
      return 'unsupported';
    default:
      return 'failed';
  }
}
