// `npm run bench:actor-heap` (tsx bench/actor-heap-bench.ts): what V8's allocation-site pretenuring
// costs a process that creates one short-lived request actor per call. Creates
// ACTORS request actors answering Add in a loop, in fresh processes: RUNS with
// V8's defaults and RUNS with tuneHeapForShortLivedActors() (what the twelvefa
// process runs with), alternating. Prints CPU per actor and the GC pauses of
// each run: whether V8 starts pretenuring depends on when its first scavenges
// fall, so runs with the defaults differ from one another.
import { fork } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createActor } from 'xstate';
import { tuneHeapForShortLivedActors } from '../src/api/heap-tuning.js';
import type { CallContext } from '../src/request/call-context.js';
import type { HeavyWorkSource } from '../src/request/heavy-work.js';
import { requestMachine } from '../src/request/request-machine.js';

const ACTORS = 300_000;
const WARMUP = 30_000;
const RUNS = 3;

type Mode = 'default' | 'tuned';

interface HeapFigures {
  readonly mode: Mode;
  readonly cpuMicrosPerActor: number;
  readonly minorGcs: number;
  readonly minorGcMs: number;
  readonly majorGcs: number;
  readonly majorGcMs: number;
}

// As in a server under the server bench's load, the last 32 actors stay referenced.
const IN_FLIGHT = 32;
const inFlight: unknown[] = [];
let slot = 0;

/** A call's context as the gRPC adapter makes one; Add never reads its signal. */
const context: CallContext = {
  call: {
    requestId: 'bench',
    rpc: 'Add',
    rpcType: 'unary',
    deadline: Number.POSITIVE_INFINITY,
    peer: '127.0.0.1',
    get signal(): AbortSignal {
      throw new Error('Add waits for nothing');
    },
  },
  credential: undefined,
  client: '127.0.0.1',
};
/** Add asks for no heavy work. */
const noHeavyWork: HeavyWorkSource = {
  acquire: () => [],
  room: () => 0,
  needsRoom: () => false,
  clientShare: 1,
  roomFreed: () => Promise.resolve(),
};

function answerAdd(): void {
  const actor = createActor(requestMachine, {
    input: {
      request: { method: 'Add', a: 2n, b: 5n },
      limits: {
        inlineMaxN: 4_000_000,
        maxN: 10n ** 16n,
        inlineMaxX: 67_867_967,
        maxX: 5n * 10n ** 17n,
        maxBatch: 1000,
      },
      context,
      heavyWorkSource: noHeavyWork,
    },
  });
  actor.start();
  if (actor.getSnapshot().output?.ok !== true) throw new Error('Add(2, 5) failed');
  inFlight[slot] = actor;
  slot = (slot + 1) % IN_FLIGHT;
}

async function measure(mode: Mode): Promise<HeapFigures> {
  if (mode === 'tuned') tuneHeapForShortLivedActors();
  for (let i = 0; i < WARMUP; i++) answerAdd();
  const gcs = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gcs.minor += 1;
        gcs.minorMs += entry.duration;
      } else {
        // Everything but scavenges: mark-compact and its incremental steps.
        gcs.major += 1;
        gcs.majorMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ACTORS; i++) answerAdd();
  const cpu = process.cpuUsage(cpuBefore);
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    mode,
    cpuMicrosPerActor: (cpu.user + cpu.system) / ACTORS,
    minorGcs: gcs.minor,
    minorGcMs: gcs.minorMs,
    majorGcs: gcs.major,
    majorGcMs: gcs.majorMs,
  };
}

function inChild(mode: Mode): Promise<HeapFigures> {
  const child = fork(fileURLToPath(import.meta.url), ['--child', mode], {
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (figures) => resolve(figures as HeapFigures));
    child.once('exit', (code) => reject(new Error(`${mode} run exited with ${code}`)));
  });
}

const childMode = process.argv.indexOf('--child');
if (childMode > 0) {
  process.send?.(await measure(process.argv[childMode + 1] as Mode));
} else {
  console.log(`actor heap bench: ${ACTORS} request actors answering Add(2, 5), in one loop`);
  console.log('');
  console.log(
    '| V8 | CPU µs/actor | scavenges | scavenge ms | ms/scavenge | full GCs | full GC ms |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const modes = Array.from({ length: RUNS }, () => ['default', 'tuned'] as const).flat();
  for (const mode of modes) {
    const f = await inChild(mode);
    const label = mode === 'default' ? 'defaults' : 'no allocation-site pretenuring';
    console.log(
      `| ${label} | ${f.cpuMicrosPerActor.toFixed(1)} | ${f.minorGcs} | ${f.minorGcMs.toFixed(0)} | ${(f.minorGcMs / Math.max(1, f.minorGcs)).toFixed(2)} | ${f.majorGcs} | ${f.majorGcMs.toFixed(0)} |`,
    );
  }
}
