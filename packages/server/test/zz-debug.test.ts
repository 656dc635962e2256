import { expect, it } from 'vitest';
import { toPromise, createActor } from 'xstate';
import { provideRequestMachine } from '../src/actor-answerer.js';
import { EmbeddedJobRunner } from '../src/jobs/embedded-job-runner.js';
import { JobRegistry } from '../src/jobs/job-registry.js';

it('debug', async () => {
  const registry = new JobRegistry(new EmbeddedJobRunner({ threads: 1 }), { maxInFlight: 4, cacheSize: 0 });
  const machine = provideRequestMachine(registry);
  for (let k = 0; k < 3; k++) {
    const ns = Array.from({ length: 5 }, (_, i) => BigInt(5_000_000 + 1000 * i + k * 10));
    const actor = createActor(machine, { input: { request: { method: 'NthPrimes', n: ns }, limits: { inlineMaxN: 1000, maxN: 1e12, maxBatch: 50 }, client: 'c' } }).start();
    const out = await toPromise(actor);
    console.log(k, JSON.stringify(out, (_, v) => typeof v === 'bigint' ? String(v) : v).slice(0, 200), (registry as any).inFlightBy.get('c'));
  }
  await registry.runner.close();
});
