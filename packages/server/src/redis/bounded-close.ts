// Closing a BullMQ object while Redis is away can wait forever: when ioredis is between
// reconnect attempts, disconnect() cancels the next attempt but leaves the client
// "reconnecting", and the QUIT that BullMQ then sends sits in its offline queue for good.
// A process must still shut down, so each step of a shutdown is bounded.

/** The bound on each step of a shutdown that talks to Redis. */
export const CLOSE_STEP_MS = 2_000;

/** Whether the promise settles within ms; it is left to settle (or not) on its own either way. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the steps one after another, each for at most CLOSE_STEP_MS; a step that fails or
 * runs out of time goes to `onTrouble`, and the next one runs all the same.
 */
export async function closeInTurn(
  steps: readonly (() => Promise<unknown>)[],
  onTrouble: (error: unknown) => void,
): Promise<void> {
  for (const step of steps) {
    let failed = false;
    const settled = settlesWithin(
      step().catch((error: unknown) => {
        failed = true;
        onTrouble(error);
      }),
      CLOSE_STEP_MS,
    );
    if (!(await settled) && !failed) {
      onTrouble(new Error(`Redis did not confirm the close within ${CLOSE_STEP_MS} ms; going on`));
    }
  }
}
