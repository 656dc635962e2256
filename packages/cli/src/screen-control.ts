/**
 * Clears the terminal: cursor home, the screen erased, and the scrollback too (`3J`, as
 * `clear` does in a shell), so that what was on it cannot be scrolled back to.
 */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';
