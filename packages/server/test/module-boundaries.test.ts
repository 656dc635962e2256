import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const RELATIVE_IMPORT = /(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)\.js'/g;

/** Every module of src/ a bin loads, by its static relative imports (type-only ones included). */
function modulesLoadedBy(bin: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    const path = relative(SRC, file);
    if (seen.has(path)) return;
    seen.add(path);
    for (const [, target] of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      visit(join(dirname(file), `${target}.ts`));
    }
  };
  visit(join(SRC, bin));
  return seen;
}

describe('module boundaries', () => {
  it('a worker process loads the job contract and none of the API', () => {
    const worker = modulesLoadedBy('bin/twelvefa-worker.ts');
    expect(worker).toContain('jobs/prime-job.ts');
    expect(worker).toContain('jobs/prime-processor.ts');
    const apiOnly = [
      'api/run-api.ts',
      'grpc/grpc-server.ts',
      'request/answerer.ts',
      'request/request-machine.ts',
      'jobs/bullmq-job-runner.ts',
      'jobs/job-registry.ts',
      'jobs/prime-flow.ts',
      'jobs/batch-plan.ts',
      'jobs/flow-enqueuer.ts',
      'jobs/job-waiters.ts',
      'jobs/job-cancellation.ts',
      'events/event-log.ts',
    ];
    expect([...worker].filter((path) => apiOnly.includes(path))).toEqual([]);
  });

  it('the API loads none of the worker', () => {
    const api = modulesLoadedBy('bin/twelvefa.ts');
    expect(api).toContain('jobs/bullmq-job-runner.ts');
    expect(api).toContain('jobs/prime-job.ts');
    const workerOnly = ['worker/run-worker.ts', 'jobs/prime-worker.ts', 'jobs/prime-processor.ts'];
    expect([...api].filter((path) => workerOnly.includes(path))).toEqual([]);
  });

  it('the request contract knows neither the gRPC adapter nor the machine', () => {
    const contract = modulesLoadedBy('request/answerer.ts');
    expect(contract).toContain('request/call-status.ts');
    expect([...contract].filter((path) => path.startsWith('grpc/'))).toEqual([]);
    expect(contract).not.toContain('request/request-machine.ts');
    expect(contract).not.toContain('request/actor-answerer.ts');
  });

  it('the request path imports no adapter: gRPC calls into it, never the other way', () => {
    const machine = modulesLoadedBy('request/calc-answerer.ts');
    expect([...machine].filter((path) => path.startsWith('grpc/'))).toEqual([]);
  });
});
