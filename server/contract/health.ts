/** `GET /api/v1/health`. */
export interface Health {
  status: 'ok';
  version: string;
  store: 'pglite' | 'postgres';
  seq: number;
  protocolVersion: number;
  /** `true` while the store holds the synthetic Hangzhou demo. */
  demo: boolean;
}
