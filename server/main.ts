/** Starts City Brain from the environment (docs/domain.md §11). Nothing else lives here. */
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { startServer } from './app.ts';
import { ConfigError, configFromEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { DataDirInUseError } from './store/index.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const logger = createLogger(process.env);

async function main(): Promise<void> {
  const config = configFromEnv(process.env, version);
  const server = await startServer(config, { logger });
  // The heap ceiling (npm start sets it from MEMORY_LIMIT_MB): past it Node aborts, logged, restartable.
  const heapLimitMb = Math.round(getHeapStatistics().heap_size_limit / 1048576);
  logger.info({ url: server.url, store: server.store.kind, dataDir: config.dataDir, demo: config.demoData, heapLimitMb }, 'City Brain is serving');
  // Printed plainly as well, like Jupyter: the one line an operator needs to open the dashboard.
  process.stdout.write(
    `\n  City Brain ${version} is running.\n  Open the dashboard (signs this browser in as admin):\n\n    ${server.url}/?token=${server.adminToken}\n\n` +
      (config.adminToken ? '' : `  (generated admin token, kept in ${config.dataDir}/admin-token; set ADMIN_TOKEN to choose one)\n\n`),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing open requests and closing the store');
    // The grace period for open requests, then a few seconds for sockets and the store.
    const force = setTimeout(() => {
      logger.error('stopping took too long: exiting anyway');
      process.exit(1);
    }, config.limits.shutdownGraceMs + 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof DataDirInUseError || err instanceof ConfigError) {
    logger.fatal(err.message);
    process.stderr.write(`\nCity Brain cannot start: ${err.message}\n`);
  } else {
    logger.fatal({ err }, 'City Brain failed to start');
    // Also straight to stderr: a logging worker thread may not flush before exit.
    process.stderr.write(`\nCity Brain failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
