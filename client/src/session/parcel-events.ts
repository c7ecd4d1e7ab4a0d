/**
 * Parcel events from the live stream, handed to whichever planner view is open. The wall's live
 * client is made by the page's city session (city-session.ts); it calls `parcelEvents.publish` from its `onParcelEvents`,
 * and the drawer listens for steps of the parcel it shows, so the two need not know each other.
 */
import type { ParcelLogEvent } from '../live/live-client.ts';

export type ParcelEventListener = (events: readonly ParcelLogEvent[]) => void;

export class ParcelEventHub {
  private readonly listeners = new Set<ParcelEventListener>();

  /** Hands a batch on to every listener; one that throws does not stop the others. */
  publish = (events: readonly ParcelLogEvent[]): void => {
    if (events.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(events);
      } catch (error) {
        console.error('a parcel event listener failed', error);
      }
    }
  };

  subscribe(listener: ParcelEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` once per batch that moved the parcel `code` on (`parcel:stepped`). */
  onStepped(code: string, listener: () => void): () => void {
    return this.subscribe((events) => {
      if (steppedCodes(events).has(code)) listener();
    });
  }
}

/** Codes of the parcels a batch moved on; a bulk import may have touched any parcel, but steps none. */
export function steppedCodes(events: readonly ParcelLogEvent[]): Set<string> {
  const codes = new Set<string>();
  for (const event of events) if (event.type === 'parcel:stepped') codes.add(event.payload.code);
  return codes;
}

/** The page's one hub. */
export const parcelEvents = new ParcelEventHub();
