// Connections that survive their clients' resets. nghttp2, Node's HTTP/2, guards against rapid
// reset floods (CVE-2023-44487) by counting every RST_STREAM a client sends: past 1,000, less
// 33 a second, it answers GOAWAY INTERNAL_ERROR, and the client fails every call on the
// connection ("Session closed with error code 2"). A gRPC client sends one for each call that
// runs out of its deadline or is cancelled, so a busy client with tight deadlines gets there
// in seconds. Node 20 cannot raise that limit (streamResetBurst/Rate came in later Nodes), and
// any GOAWAY makes a client move to a new connection, so the connection cannot be kept; what
// can be kept is every call on it. This counts the same resets and, before nghttp2 would act,
// recycles the connection gracefully, as GRPC_MAX_CONNECTION_AGE_MS does: GOAWAY NO_ERROR, the
// calls in flight finish, the client carries on over a new connection. A connection whose
// streams are reset as soon as they are opened is a flood, not a client: it is closed at once.
import http2, { type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Logger } from '../logger.js';

/** nghttp2's reset allowance: a burst of 1,000, refilled at 33 a second (nghttp2_session.c). */
const NGHTTP2_BURST = 1000;
const NGHTTP2_RATE_PER_S = 33;
/** Resets left in nghttp2's allowance when the connection is recycled: room for a burst. */
const RESERVE = 200;
/** A stream reset sooner than this after it opened was never a call anyone waited for. */
const RAPID_MS = 5;
/** Of the resets counted, the share that must be rapid for the connection to be a flood. */
const FLOOD_SHARE = 0.5;

const { NGHTTP2_NO_ERROR, NGHTTP2_ENHANCE_YOUR_CALM } = http2.constants;
/** The highest stream id: a first GOAWAY saying "no new streams soon", as grpc-js sends at max age. */
const ANY_STREAM = 2 ** 31 - 1;

/** grpc-status values of calls that ended because their deadline passed or they were cancelled. */
const GAVE_UP = new Set(['1', '4']);

/**
 * Whether a closed stream is one nghttp2 counts as reset, or may: the client reset it, or the
 * call ended CANCELLED or DEADLINE_EXCEEDED, which the client answers with a reset of its own
 * when its deadline fires first (the two cross on the wire). Counting those too keeps this
 * count ahead of nghttp2's.
 */
function wasReset(stream: ServerHttp2Stream): boolean {
  if (stream.rstCode !== undefined && stream.rstCode !== NGHTTP2_NO_ERROR) return true;
  const status = stream.sentTrailers?.['grpc-status'] ?? stream.sentHeaders?.['grpc-status'];
  return typeof status === 'string' && GAVE_UP.has(status);
}

/** How the guard of one connection acted, for the log. */
interface Counts {
  resets: number;
  /** Reset within RAPID_MS of opening: opened only to be reset. */
  rapid: number;
}

/**
 * Watches `session`'s resets and recycles or closes it before nghttp2's guard would; see the
 * top of this file. `graceMs` is how long calls in flight on a recycled connection may take.
 */
export function guardResets(session: ServerHttp2Session, graceMs: number, logger: Logger): void {
  let tokens = NGHTTP2_BURST;
  let refilledAt = performance.now();
  const counts: Counts = { resets: 0, rapid: 0 };
  let acted = false;
  const peer = `${session.socket?.remoteAddress}:${session.socket?.remotePort}`;

  const act = (): void => {
    acted = true;
    if (session.closed || session.destroyed) return;
    if (counts.rapid >= FLOOD_SHARE * counts.resets) {
      logger.warn({ peer, ...counts }, 'rapid-reset flood: connection closed');
      // The GOAWAY goes out ahead of the one destroy() sends (destroy with a code of its own
      // would emit an error nobody needs).
      session.goaway(NGHTTP2_ENHANCE_YOUR_CALM);
      session.destroy();
      return;
    }
    logger.info({ peer, ...counts }, 'connection recycled before the HTTP/2 reset limit');
    session.goaway(NGHTTP2_NO_ERROR, ANY_STREAM);
    session.close();
    setTimeout(() => session.destroy(), graceMs).unref();
  };

  session.on('stream', (stream: ServerHttp2Stream) => {
    // When the stream opened, and when the client reset it while the server still had to
    // answer ('aborted' comes as the frame is read, however many one read brings; a reset
    // crossing an answer is seen at the close, later). A gRPC call is reset once it has run
    // out of time or been given up on; a flood resets each stream as soon as it opened it.
    const openedAt = performance.now();
    let abortedAt: number | undefined;
    stream.once('aborted', () => {
      abortedAt = performance.now();
    });
    stream.once('close', () => {
      if (acted || !wasReset(stream)) return;
      const now = performance.now();
      tokens = Math.min(NGHTTP2_BURST, tokens + ((now - refilledAt) / 1000) * NGHTTP2_RATE_PER_S);
      refilledAt = now;
      tokens -= 1;
      counts.resets += 1;
      const resetAt = abortedAt ?? now;
      if (stream.rstCode !== NGHTTP2_NO_ERROR && resetAt - openedAt < RAPID_MS) counts.rapid += 1;
      if (tokens < RESERVE) act();
    });
  });
}

/** What this needs of a grpc-js Server: the HTTP/2 servers it made (not public API). */
interface WithHttp2Servers {
  readonly http2Servers?: Map<http2.Http2Server | http2.Http2SecureServer, unknown>;
}

const guarded = new WeakSet<object>();

/**
 * Guards every connection of `grpcServer`'s bound ports from now on. grpc-js keeps its HTTP/2
 * servers to itself; without them this throws, so that an upgrade that moves them cannot
 * silently drop the guard (the attack suite's tight-deadlines case fails first).
 */
export function guardServerResets(grpcServer: object, graceMs: number, logger: Logger): void {
  const servers = (grpcServer as WithHttp2Servers).http2Servers;
  if (!(servers instanceof Map)) {
    throw new Error('grpc-js no longer exposes its HTTP/2 servers: the reset guard cannot attach');
  }
  for (const server of servers.keys()) {
    if (guarded.has(server)) continue;
    guarded.add(server);
    server.on('session', (session: ServerHttp2Session) => guardResets(session, graceMs, logger));
  }
}
