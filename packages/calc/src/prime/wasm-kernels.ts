import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

/**
 * The WebAssembly kernels of the prime count (built from ../../assembly by `npm run build`), as
 * the module exports them: integers that can pass 2^53 cross as BigInt (i64), the rest as numbers.
 */
export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  init(): void;
  tables(limit: number, list: number): void;
  factors(z: number): void;
  inverses(v: number): void;
  tablesLimit(): number;
  tablesPrimes(): number;
  primeAt(b: number): number;
  nthPrimeFromPi(n: number): number;
  pi(u: number): number;
  sigma(x: bigint, y: number, xStar: number): bigint;
  sigmaSqrtXIsPrime(): number;
  ordinaryLeaves(x: bigint, y: number, z: number, k: number): bigint;
  composedEasyLeaves(x: bigint, y: number, z: number, k: number): bigint;
  easyLeaves(
    x: bigint,
    y: number,
    z: number,
    k: number,
    xStar: number,
    low: number,
    high: number,
  ): number;
  easyLocal(): bigint;
  easyWeightOf(): number;
  easyConstantOf(): bigint;
  largePrimes(x: bigint, y: number, low: number, high: number): number;
  largeLocal(): bigint;
  largeCount(): number;
  hardLeaves(
    x: bigint,
    y: number,
    z: number,
    k: number,
    xStar: number,
    low: number,
    high: number,
  ): number;
  hardResult(): number;
  sieveWindow(low: bigint, high: bigint): bigint;
  nthInWindow(k: bigint): bigint;
  dropWindow(): void;
}

/**
 * The part of the WebAssembly API used here: lib ES2022 and @types/node 20 do not declare it,
 * though Node has it.
 */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { readonly WebAssembly: WebAssemblyApi }).WebAssembly;

/** Where the build writes the module: dist/kernels.wasm, two levels up from this file in src/ and dist/. */
const MODULE_URL = new URL('../../dist/kernels.wasm', import.meta.url);

let kernels: KernelExports | undefined;

/**
 * This thread's instance of the kernels, compiled and instantiated on first use. V8 would
 * compile each WebAssembly function at its first call with its baseline compiler (Liftoff) and
 * optimise hot ones later, but a call already running keeps the baseline code to its end (no
 * on-stack replacement), so a long first call would run slow (1.4x at 10^13, measured): the
 * whole module is compiled optimised up front instead (about 10 ms for these kernels).
 */
export function primeKernels(): KernelExports {
  if (kernels === undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(MODULE_URL);
    } catch (error) {
      throw new Error(
        `the prime kernels are not built (${MODULE_URL.pathname}): run npm run build in packages/calc`,
        { cause: error },
      );
    }
    kernels = compileKernels(bytes);
  }
  return kernels;
}

/** A fresh instance of a build of the kernels, compiled as primeKernels() compiles its own. */
export function compileKernels(bytes: Uint8Array): KernelExports {
  // Both flags are read when a module is compiled: V8 compiles wasm lazily by default (each
  // function at its first call, with whatever tier the flags then say), so eager and optimised
  // it must be. They stay set: they are the process's, and compute threads starting together
  // would otherwise put them back under each other's compile. (What else compiles wasm here,
  // such as fetch's parser, compiles optimised too: once, a few milliseconds.)
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  const module = new wasm.Module(bytes);
  const instance = new wasm.Instance(module, {});
  const exports = instance.exports as unknown as KernelExports;
  exports.init();
  return exports;
}
