/**
 * `npm run dev`: the server with Vite in middleware mode on the same port, so the dashboard
 * hot-reloads while the API, socket and sign-in behave exactly as in production.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createServer as createVite } from 'vite';
import { startServer } from '../server/app.ts';
import { configFromEnv, PROJECT_ROOT } from '../server/config.ts';
import { createLogger } from '../server/logger.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const logger = createLogger(process.env);
const vite = await createVite({
  configFile: path.join(PROJECT_ROOT, 'vite.config.ts'),
  server: { middlewareMode: true },
  appType: 'spa',
});
const config = configFromEnv(process.env, `${version}-dev`);
const server = await startServer({ ...config, clientDir: undefined }, { logger, clientHandler: vite.middlewares });
process.stdout.write(`\n  City Brain (dev, hot reload): ${server.url}/?token=${server.adminToken}\n\n`);
const stop = async () => {
  await vite.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
