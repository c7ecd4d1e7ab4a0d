import { describe, expect, it } from 'vitest';
import { cameraProblemBeforeAsking, cameraProblemOf, codeFromScannedText } from './scan-text.ts';

// 330106-2026-00042-0 is valid (check character worked out by hand); 00043 needs 9.

describe('codeFromScannedText', () => {
  it('reads the public page URL a parcel QR code encodes, on any host', () => {
    expect(codeFromScannedText('https://city.example.cn/p/330106-2026-00042-0')).toEqual({ ok: true, code: '330106-2026-00042-0' });
    expect(codeFromScannedText('http://127.0.0.1:43121/p/330106-2026-00042-0')).toEqual({ ok: true, code: '330106-2026-00042-0' });
  });

  it('ignores a trailing slash, a query, a fragment and a path prefix', () => {
    expect(codeFromScannedText('https://gov.example/citybrain/p/330106-2026-00042-0/?lang=en#timeline')).toEqual({ ok: true, code: '330106-2026-00042-0' });
  });

  it('reads the path alone, a bare code, and a percent-encoded or lower-case x code', () => {
    expect(codeFromScannedText('/p/330106-2026-00042-0')).toEqual({ ok: true, code: '330106-2026-00042-0' });
    expect(codeFromScannedText(' 330106-2026-00042-0\n')).toEqual({ ok: true, code: '330106-2026-00042-0' });
    expect(codeFromScannedText('https://x.cn/p/330106%2D2026%2D00005%2Dx')).toEqual({ ok: true, code: '330106-2026-00005-X' });
  });

  it('refuses a QR code that is not a parcel page or a land code', () => {
    expect(codeFromScannedText('https://example.com/')).toEqual({ ok: false, reason: 'not-parcel', text: 'https://example.com/' });
    expect(codeFromScannedText('https://example.com/p/')).toEqual({ ok: false, reason: 'not-parcel', text: 'https://example.com/p/' });
    expect(codeFromScannedText('https://example.com/p/hello')).toEqual({ ok: false, reason: 'not-parcel', text: 'https://example.com/p/hello' });
    expect(codeFromScannedText('https://example.com/p/330106-2026-00042-0/steps')).toMatchObject({ ok: false, reason: 'not-parcel' });
    expect(codeFromScannedText('WIFI:S:office;T:WPA;P:secret;;')).toMatchObject({ ok: false, reason: 'not-parcel' });
    expect(codeFromScannedText('文三路 12 号')).toMatchObject({ ok: false, reason: 'not-parcel' });
    expect(codeFromScannedText('https://x.cn/p/%E0%A4%A')).toMatchObject({ ok: false, reason: 'not-parcel' });
  });

  it('says when the code in a QR code has a wrong check character', () => {
    expect(codeFromScannedText('https://x.cn/p/330106-2026-00043-0')).toEqual({ ok: false, reason: 'mistyped', code: '330106-2026-00043-0', expected: '9' });
  });

  it('says nothing was read from empty text', () => {
    expect(codeFromScannedText('   ')).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('camera problems', () => {
  it('refuses before asking on an insecure page or without getUserMedia', () => {
    expect(cameraProblemBeforeAsking({ getUserMedia: true, secureContext: false })).toBe('insecure');
    expect(cameraProblemBeforeAsking({ getUserMedia: false, secureContext: true })).toBe('unsupported');
    expect(cameraProblemBeforeAsking({ getUserMedia: true, secureContext: true })).toBeNull();
  });

  it('names the getUserMedia rejections a person can act on', () => {
    expect(cameraProblemOf({ name: 'NotAllowedError' })).toBe('denied');
    expect(cameraProblemOf({ name: 'PermissionDeniedError' })).toBe('denied');
    expect(cameraProblemOf({ name: 'NotFoundError' })).toBe('no-camera');
    expect(cameraProblemOf({ name: 'OverconstrainedError' })).toBe('no-camera');
    expect(cameraProblemOf({ name: 'NotReadableError' })).toBe('busy');
    expect(cameraProblemOf(new TypeError('getUserMedia is not a function'))).toBe('unsupported');
    expect(cameraProblemOf(new Error('boom'))).toBe('failed');
    expect(cameraProblemOf('boom')).toBe('failed');
  });
});
