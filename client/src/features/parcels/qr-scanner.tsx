/**
 * The camera scanner: asks for the (rear) camera, reads frames until a parcel QR code appears, and
 * hands its land code on. Where there is no camera, no permission or no way to read QR codes, it
 * says so and sends the person back to typing the code printed under the QR code.
 */
import { useEffect, useRef, useState } from 'react';
import { createQrDecoder, type QrDecoder } from './qr-decoder.ts';
import { cameraProblemBeforeAsking, cameraProblemOf, codeFromScannedText, type CameraProblem, type ScanResult } from './scan-text.ts';
import { usePlannerText, type PlannerKey, type PlannerTranslate } from './strings.ts';
import { messageOf } from '../../api/error-message.ts';

/** Frames read per second: enough to feel instant, light enough for a desk PC's CPU with jsQR. */
const SCAN_INTERVAL_MS = 200;

export interface QrScannerProps {
  onCode: (code: string) => void;
  /** Closes the scanner; `typeInstead` moves the focus to the search box. */
  onClose: (typeInstead: boolean) => void;
}

type Phase =
  | { phase: 'starting' }
  | { phase: 'scanning'; decoder: QrDecoder['kind'] }
  | { phase: 'problem'; problem: CameraProblem | 'no-decoder'; message?: string };

const PROBLEM_KEYS: Record<CameraProblem | 'no-decoder', PlannerKey> = {
  unsupported: 'scan.unsupported',
  insecure: 'scan.insecure',
  denied: 'scan.denied',
  'no-camera': 'scan.noCamera',
  busy: 'scan.busy',
  failed: 'scan.failed',
  'no-decoder': 'scan.noDecoder',
};

function rejectionText(result: Exclude<ScanResult, { ok: true }>, t: PlannerTranslate): string | null {
  if (result.reason === 'empty') return null;
  if (result.reason === 'mistyped') return t('scan.mistyped', { code: result.code, expected: result.expected });
  return t('scan.notParcel', { text: result.text.length > 80 ? `${result.text.slice(0, 77)}…` : result.text });
}

export function QrScanner({ onCode, onClose }: QrScannerProps) {
  const { t } = usePlannerText();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<Phase>({ phase: 'starting' });
  const [rejected, setRejected] = useState<Exclude<ScanResult, { ok: true }> | null>(null);
  const latest = useRef({ onCode, onClose });
  latest.current = { onCode, onClose };

  useEffect(() => {
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fail = (problem: CameraProblem | 'no-decoder', message?: string) => {
      if (!stopped) setState({ phase: 'problem', problem, ...(message && { message }) });
    };

    const start = async () => {
      const before = cameraProblemBeforeAsking({
        getUserMedia: typeof navigator.mediaDevices?.getUserMedia === 'function',
        secureContext: window.isSecureContext,
      });
      if (before) return fail(before);
      const decoder = await createQrDecoder();
      if (!decoder) return fail('no-decoder');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      } catch (error) {
        return fail(cameraProblemOf(error), messageOf(error));
      }
      const video = videoRef.current;
      if (stopped || !video) return;
      video.srcObject = stream;
      // Frames are read as soon as they come; until then the decoder sees an empty video and waits.
      video.play().catch(() => {});
      setState({ phase: 'scanning', decoder: decoder.kind });
      let lastRejected = '';
      const tick = async () => {
        if (stopped) return;
        let text: string | null = null;
        try {
          text = await decoder.decode(video);
        } catch {
          // A frame the decoder could not take (the video is still starting): try the next one.
        }
        if (stopped) return;
        if (text !== null) {
          const result = codeFromScannedText(text);
          if (result.ok) {
            latest.current.onCode(result.code);
            return;
          }
          if (text !== lastRejected) {
            lastRejected = text;
            setRejected(result);
          }
        }
        timer = setTimeout(() => void tick(), SCAN_INTERVAL_MS);
      };
      void tick();
    };
    void start();

    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      // Only the scanner closes: the drawer behind it stays.
      event.stopImmediatePropagation();
      latest.current.onClose(false);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, []);

  const rejection = rejected ? rejectionText(rejected, t) : null;
  return (
    <div className="planner-scan-backdrop" role="presentation" onClick={(event) => event.target === event.currentTarget && onClose(false)}>
      <section
        className="panel planner-scan"
        role="dialog"
        aria-modal="true"
        aria-label={t('scan.heading')}
        data-testid="parcel-scanner"
        data-phase={state.phase}
        data-decoder={state.phase === 'scanning' ? state.decoder : ''}
      >
        <header className="planner-scan-head">
          <h2>{t('scan.heading')}</h2>
          <button type="button" className="detail-close" onClick={() => onClose(false)} title={t('scan.close')} aria-label={t('scan.close')}>
            ×
          </button>
        </header>
        <div className="planner-scan-view" hidden={state.phase === 'problem'}>
          <video ref={videoRef} muted playsInline />
          <span className="planner-scan-frame" aria-hidden="true" />
        </div>
        {state.phase === 'starting' && <p className="muted">{t('scan.starting')}</p>}
        {state.phase === 'scanning' && <p className="muted">{t('scan.aim')}</p>}
        {state.phase === 'scanning' && rejection && (
          <p className="planner-message" role="status" data-testid="parcel-scan-rejected">
            {rejection}
          </p>
        )}
        {state.phase === 'problem' && (
          <div className="planner-message" role="alert" data-testid="parcel-scan-message" data-problem={state.problem}>
            <p>{t(PROBLEM_KEYS[state.problem], { message: state.message ?? '' })}</p>
            <p>{t('scan.fallback')}</p>
            <button type="button" className="planner-primary" onClick={() => onClose(true)}>
              {t('search.label')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
