// A long-lived process computing nthPrime on its main thread, one n per stdin line: the direct,
// one-thread computation the scale benchmark compares the service with (warm, like a worker).
// Prints {"n", "prime" (a decimal string), "seconds"} per line.
import { createInterface } from 'node:readline';
import { nthPrimeExact } from '@twelvefa/calc';

for await (const line of createInterface({ input: process.stdin })) {
  const n = Number(line.trim());
  if (!Number.isSafeInteger(n)) continue;
  const started = performance.now();
  const prime = String(nthPrimeExact(n));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ n, prime, seconds })}\n`);
}
