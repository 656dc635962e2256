const CTRL_C = 0x03;

/**
 * Listens for Ctrl-C while no prompt is reading the terminal (a request is
 * running). The terminal is put in raw mode, so Ctrl-C arrives as a byte
 * instead of a SIGINT that would kill the process. Other keys typed meanwhile
 * are handed back to stdin for the next prompt (Ctrl-C discards those typed
 * before it). A SIGINT sent by another process counts too. Returns the
 * function that stops listening and restores the terminal.
 */
export function onInterruptKey(stdin: NodeJS.ReadStream, onInterrupt: () => void): () => void {
  const wasRaw = stdin.isRaw;
  let typedAhead: Buffer[] = [];
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const interrupt = bytes.lastIndexOf(CTRL_C);
    if (interrupt === -1) {
      typedAhead.push(bytes);
      return;
    }
    typedAhead = [bytes.subarray(interrupt + 1)];
    onInterrupt();
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.resume();
  process.on('SIGINT', onInterrupt);
  return () => {
    process.off('SIGINT', onInterrupt);
    stdin.off('data', onData);
    stdin.pause();
    stdin.setRawMode(wasRaw);
    const rest = Buffer.concat(typedAhead);
    if (rest.length > 0) {
      stdin.unshift(rest);
    }
  };
}
