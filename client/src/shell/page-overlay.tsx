/**
 * What covers a page until it can be used, the same on every page: the sign-in card when nobody is
 * signed in, "loading" while the sign-in is checked or the regions are on their way, and a load
 * error with a retry button. Each page hands in its own wording.
 */
import type { SessionPhase } from '../session/city-session.ts';
import { SignInCard } from './sign-in-card.tsx';

export interface PageOverlayProps {
  phase: SessionPhase;
  /** The map's regions are in. */
  regionsLoaded: boolean;
  error: string | null;
  onRetry: () => void;
  text: { loading: string; error: (message: string) => string; retry: string };
}

export function PageOverlay({ phase, regionsLoaded, error, onRetry, text }: PageOverlayProps) {
  return (
    <>
      {phase === 'signed-out' && <SignInCard />}
      {(phase === 'checking' || !regionsLoaded) && !error && (
        <div className="overlay-centre loading" role="status">{text.loading}</div>
      )}
      {error && (
        <div className="overlay-centre">
          <div className="panel error" role="alert">
            <p>{text.error(error)}</p>
            <button type="button" onClick={onRetry}>{text.retry}</button>
          </div>
        </div>
      )}
    </>
  );
}
