/**
 * zod compiles object parsers with `new Function` unless told not to, and probes for it even when
 * that probe is caught: under our Content-Security-Policy (no 'unsafe-eval') the probe is reported
 * as a violation. The dashboard parses small messages; the interpreted parser is fast enough.
 * Imported first by main.tsx, before any schema is built (schemas read this when constructed).
 */
import { z } from 'zod';

z.config({ jitless: true });
