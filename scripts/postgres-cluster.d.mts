/** Types of `postgres-cluster.mjs` for TypeScript callers (tests, scripts). */
export const PG_VERSION: number;
export const POSTGRES_PACKAGES: string[];
export function postgresInstalled(): boolean;

export interface ThrowawayCluster {
  /** URL of the cluster's `postgres` database, trust auth on 127.0.0.1. */
  url: string;
  port: number;
  dir: string;
  /** Stops the server but keeps its data (an outage). */
  pause(): void;
  /** Starts a paused server again on the same port. */
  resume(): void;
  /** Stops the cluster and deletes its folder. */
  stop(): void;
}

export function startCluster(options?: { log?: (message: string) => void }): Promise<ThrowawayCluster>;
