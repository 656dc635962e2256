import { UnavailableError } from '../errors.js';

/** ioredis's message when a command outlives its connection's `commandTimeout`. */
const TIMED_OUT = 'Command timed out';

/** Whether error is a command that outlived its connection's commandTimeout (a stalled Redis). */
export function isCommandTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === TIMED_OUT;
}

/** Whether error is Redis refusing a write at maxmemory under the noeviction policy. */
export function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('OOM ');
}

/**
 * The UnavailableError a client is told when Redis failed `doing` something for it, saying why:
 * out of memory, too slow to answer, or unreachable. Undefined for any other error, which is a
 * bug of ours and stays INTERNAL.
 */
export function redisUnavailable(
  error: unknown,
  doing: string,
  reachable: boolean,
): UnavailableError | undefined {
  if (isOutOfMemory(error)) {
    return new UnavailableError(
      `Redis is out of memory (maxmemory reached and it evicts nothing): ${doing}; retry later`,
      { cause: error },
    );
  }
  if (isCommandTimeout(error)) {
    return new UnavailableError(`Redis is not answering (command timed out): ${doing}; retry`, {
      cause: error,
    });
  }
  if (!reachable) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return new UnavailableError(`Redis is unreachable, ${doing}${detail}`, { cause: error });
  }
  return undefined;
}
