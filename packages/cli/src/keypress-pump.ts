import { emitKeypressEvents, type Key } from 'node:readline';

/** Handles one key; the next waits until it settles. */
export type KeyHandler = (input: string | undefined, key: Key | undefined) => Promise<void>;

/**
 * Reads keys from a terminal in raw mode and hands them to `handle` one at a time, in order,
 * without a readline interface: readline keeps its own copy of the line and closes itself
 * (pausing stdin, which ends the process) on Ctrl-C, or on Ctrl-D when its copy is empty,
 * whatever the editor shows. A handler that throws stops the pump and goes to `onError`.
 * Returns the function that stops it: the terminal's mode is restored, and keys read but not
 * handled yet (type-ahead, a pasted block) are put back for the next reader.
 */
export function pumpKeypresses(
  stdin: NodeJS.ReadStream,
  handle: KeyHandler,
  onError: (error: unknown) => void,
): () => void {
  emitKeypressEvents(stdin);
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  let stopped = false;
  let draining = false;
  const queue: { input: string | undefined; key: Key | undefined }[] = [];
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      for (let next = queue.shift(); next && !stopped; next = queue.shift()) {
        await handle(next.input, next.key);
      }
    } catch (error) {
      onError(error);
    } finally {
      draining = false;
    }
  };
  const onKeypress = (input: string | undefined, key: Key | undefined): void => {
    queue.push({ input, key });
    void drain();
  };
  stdin.on('keypress', onKeypress);
  stdin.resume();
  return () => {
    stopped = true;
    stdin.off('keypress', onKeypress);
    stdin.setRawMode(wasRaw);
    stdin.pause();
    const rest = queue
      .splice(0)
      .map(({ input, key }) => key?.sequence ?? input ?? '')
      .join('');
    if (rest !== '') stdin.unshift(Buffer.from(rest));
  };
}
