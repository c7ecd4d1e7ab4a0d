/** What services and routes call after a commit: hands stored events to whoever follows the log. */
import type { LogEvent } from '../contract/events.ts';

/** Publishes events that are already stored, in seq order. Never throws. */
export type Publish = (events: readonly LogEvent[]) => void;
