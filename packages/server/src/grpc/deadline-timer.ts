/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days): a longer one overflows
 * and fires after 1 ms. grpc-js's deadline.ts treats a deadline beyond it as none at all; the
 * answerer's signal must still abort at the client's deadline, so this waits in steps.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` once Date.now() reaches `deadline`, at once (before returning) when it already
 * has: a timer would wait for the loop's next turn, and work quicker than that would answer a
 * client that stopped waiting (a grpc-timeout of 1 µs). A deadline further away than a timer
 * reaches waits in steps of MAX_TIMER_MS. Returns a function that cancels the wait.
 */
export function atDeadline(deadline: number, expire: () => void): () => void {
  if (Date.now() >= deadline) {
    expire();
    return () => {};
  }
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = deadline - Date.now();
    timer =
      left > MAX_TIMER_MS ? setTimeout(arm, MAX_TIMER_MS) : setTimeout(expire, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}
