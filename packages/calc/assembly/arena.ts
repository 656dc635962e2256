// Memory is one arena: the tables a thread keeps (primes, pi, factors) from the heap base up,
// then scratch that each kernel call takes and gives back. No allocator, no garbage collector.

let top: usize = (__heap_base + 63) & ~(<usize>63);
/** What init() took (kept for good): releasing to it drops every table. */
let floor: usize = top;

/** Grows the memory so that [0, end) is usable. */
function reserve(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    if (memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
  }
}

/** Takes `bytes` (64-byte aligned, not zeroed). */
export function take(bytes: usize): usize {
  const at = top;
  top = (top + bytes + 63) & ~(<usize>63);
  reserve(top);
  return at;
}

/** Takes `bytes` zeroed. */
export function takeZeroed(bytes: usize): usize {
  const at = take(bytes);
  memory.fill(at, 0, bytes);
  return at;
}

/** Where the arena ends now: give it back to release() to drop what was taken since. */
export function mark(): usize {
  return top;
}

export function release(to: usize): void {
  top = to;
}

/** Keeps for good what was taken so far (init's tables). */
export function fixFloor(): void {
  floor = top;
}

/** Where the kept tables start: releasing to it drops them all. */
export function arenaFloor(): usize {
  return floor;
}
