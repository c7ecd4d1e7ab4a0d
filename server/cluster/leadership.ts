/**
 * Leadership among server nodes: the one node that stores derived events (risk changes and decay,
 * equity figures after new boundaries), so several nodes on one store do not each store them. Services depend on this
 * interface only; which implementation runs is the composition root's choice.
 */

export interface Leadership {
  /** Whether this node leads now. */
  isLeader(): boolean;
  /** Called when this node becomes (true) or stops being (false) the leader. */
  onChange(listener: (leader: boolean) => void): void;
  close(): Promise<void>;
}

/** One node at a time is the leader: PGlite's only node always is. */
export const SOLE_LEADER: Leadership = { isLeader: () => true, onChange: () => undefined, close: async () => undefined };

