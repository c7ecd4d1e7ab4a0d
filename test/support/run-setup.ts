/**
 * Global setup of every test project: names this vitest run, so workers can share what is costly to
 * make and the same for all (the demo store, test/support/store-templates.ts) without reusing it
 * from an older run whose code differed. Removes what the run made when it ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    testRunId: string;
  }
}

export const runDir = (runId: string) => path.join(os.tmpdir(), `citybrain-run-${runId}`);

export default function setup(project: TestProject): () => void {
  const runId = `${process.pid}-${Date.now().toString(36)}-${project.name}`;
  project.provide('testRunId', runId);
  return () => fs.rmSync(runDir(runId), { recursive: true, force: true });
}
