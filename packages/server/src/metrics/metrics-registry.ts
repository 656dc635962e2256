import { collectDefaultMetrics, Registry } from 'prom-client';

/** A registry of its own (never prom-client's global one) with the default process metrics. */
export function createMetricsRegistry(
  options: { readonly processMetrics?: boolean } = {},
): Registry {
  const registry = new Registry();
  // Tests create several registries in one process; the defaults are collected per registry.
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}
