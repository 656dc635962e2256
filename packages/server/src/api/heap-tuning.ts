import { setFlagsFromString } from 'node:v8';

/**
 * Tunes V8 for a process that creates one short-lived xstate actor per call;
 * call it before the first call arrives.
 *
 * V8's allocation-site pretenuring learns to allocate xstate's actor objects
 * straight in the old generation. Those actors are dead microseconds later,
 * but old-generation objects wait for a full GC, and every scavenge until then
 * copies the young objects they point to. Measured (docs/benchmarks.md,
 * "Server"): with pretenuring, a request actor costs 2.5 times the CPU and
 * scavenges take 5 times longer; under the server benchmark's load the actor
 * handler goes from 63 to 75-78 % of the plain handler's throughput without it.
 */
export function tuneHeapForShortLivedActors(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
