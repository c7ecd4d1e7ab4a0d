/** `GET /api/v1/health`. */
export interface Health {
  status: 'ok';
  version: string;
  store: 'pglite' | 'postgres';
  seq: number;
  protocolVersion: number;
  /** `true` while the store holds the synthetic Hangzhou demo. */
  demo: boolean;
  /**
   * The centre's IANA time zone (`TIME_ZONE`): every clock, date and "today" on every page is in
   * it, whatever zone the screen's own computer is set to. Here because health is public: a page
   * learns it before sign-in and before it shows any time.
   */
  timeZone: string;
}
