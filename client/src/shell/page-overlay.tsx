/**
 * What covers a page until it can be used, the same on every page: the sign-in card when nobody is
 * signed in, "loading" while the sign-in is checked or the regions are on their way, and a load
 * error with a retry button. Each page hands in its session and its translator, whose table has the
 * three keys below.
 */
import type { SessionPhase } from '../session/city-session.ts';
import { SignInCard } from './sign-in-card.tsx';

type OverlayKey = 'loading' | 'error.load' | 'error.retry';

export interface PageOverlayProps {
  /** The page's city session: where sign-in and loading stand, and how to try again. */
  session: { phase: SessionPhase; regions: unknown; error: string | null; retry: () => void };
  t: (key: OverlayKey, params?: Record<string, string | number>) => string;
}

export function PageOverlay({ session: { phase, regions, error, retry }, t }: PageOverlayProps) {
  return (
    <>
      {phase === 'signed-out' && <SignInCard />}
      {(phase === 'checking' || regions === null) && !error && (
        <div className="overlay-centre loading" role="status">{t('loading')}</div>
      )}
      {error && (
        <div className="overlay-centre">
          <div className="panel error" role="alert">
            <p>{t('error.load', { message: error })}</p>
            <button type="button" onClick={retry}>{t('error.retry')}</button>
          </div>
        </div>
      )}
    </>
  );
}
