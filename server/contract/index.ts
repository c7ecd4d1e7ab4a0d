/** The public contract, imported by server and client alike. */
export * from './common.ts';
export * from './regions.ts';
export * from './incidents.ts';
export * from './auth.ts';
export * from './risk.ts';
export * from './sla.ts';
export * from './measures.ts';
export * from './parcels.ts';
export * from './equity.ts';
export * from './units.ts';
export * from './dispatch.ts';
export * from './events.ts';
export * from './health.ts';
