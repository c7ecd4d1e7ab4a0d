/**
 * Global setup of the `api-postgres` test project: the API suite runs a second time against a real
 * PostgreSQL server. Uses TEST_POSTGRES_URL when given (a server you run; each test server gets its
 * own database on it), else starts a throwaway cluster and stops it at the end.
 */
import type { TestProject } from 'vitest/node';
import { startCluster } from '../../scripts/postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TEST_POSTGRES_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const cluster = await startCluster({ log: (m: string) => console.log(m) });
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
