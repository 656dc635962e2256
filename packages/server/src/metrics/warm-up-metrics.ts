import { Gauge, type Registry } from 'prom-client';

/**
 * Whether the process's compute threads are warm (kernels compiled, small table built) and how
 * long warming took: a worker takes no job, and an embedded API reports no readiness, before.
 * `seconds` is undefined while they warm.
 */
export function registerWarmUpMetrics(registry: Registry, seconds: () => number | undefined): void {
  new Gauge({
    name: 'twelvefa_compute_warm',
    help: 'Whether the compute threads have warmed up (1) or are still warming (0).',
    registers: [registry],
    collect() {
      this.set(seconds() === undefined ? 0 : 1);
    },
  });
  new Gauge({
    name: 'twelvefa_compute_warm_up_seconds',
    help: 'Seconds the compute threads took to warm up before taking work (0 while warming).',
    registers: [registry],
    collect() {
      this.set(seconds() ?? 0);
    },
  });
}
