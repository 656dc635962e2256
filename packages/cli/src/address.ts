import { UsageError } from './usage-error.js';

/** A server address as typed by the user, resolved into a grpc-js channel target. */
export interface ServerAddress {
  /** What the user typed, for messages. */
  readonly display: string;
  /** The grpc-js channel target. */
  readonly target: string;
  /** Host and port, when the target names them (used to diagnose failed connections). */
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** The socket file of a `unix:` target (used to diagnose failed connections). */
  readonly socketPath?: string;
}

const EXAMPLES = 'use :PORT, HOST:PORT, [IPV6]:PORT or dns:///HOST:PORT, e.g. localhost:3000';

/**
 * Parses the address forms calcli accepts: `3000` and `:3000` (localhost), `host:3000`,
 * `[::1]:3000` and grpc-js URIs (`dns:///host:3000`, `ipv4:`, `ipv6:`, `unix:`).
 */
export function parseAddress(input: string): ServerAddress {
  const display = input.trim();
  if (display === '') {
    throw new UsageError(`the server address is empty; ${EXAMPLES}`);
  }
  if (display.startsWith('dns:')) {
    // dns:///host:port or dns://authority/host:port or dns:host:port
    const hostPort = display.replace(/^dns:(\/\/[^/]*\/)?/, '');
    const endpoint = parseHostPort(hostPort, display);
    return { display, target: display, endpoint };
  }
  const unix = /^unix:(?:\/\/)?(.+)$/.exec(display);
  if (unix?.[1] !== undefined) {
    return { display, target: display, socketPath: unix[1] };
  }
  if (/^(ipv4|ipv6|unix-abstract):/.test(display)) {
    return { display, target: display };
  }
  // A bare port, as people type it: `calcli connect 3000` means localhost:3000.
  if (/^\d+$/.test(display)) {
    const endpoint = parseHostPort(`:${display}`, display);
    return { display, target: `${endpoint.host}:${endpoint.port}`, endpoint };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(display)) {
    throw new UsageError(`unsupported address scheme in "${display}"; ${EXAMPLES}`);
  }
  const endpoint = parseHostPort(display, display);
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return { display, target: `${host}:${endpoint.port}`, endpoint };
}

function parseHostPort(hostPort: string, display: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort);
  let host: string;
  let port: string | undefined;
  if (bracketed) {
    host = bracketed[1] ?? '';
    port = bracketed[2];
  } else {
    const colons = hostPort.split(':').length - 1;
    if (colons > 1) {
      throw new UsageError(`IPv6 addresses need brackets, e.g. [::1]:3000, got "${display}"`);
    }
    const at = hostPort.lastIndexOf(':');
    host = at === -1 ? hostPort : hostPort.slice(0, at);
    port = at === -1 ? undefined : hostPort.slice(at + 1);
  }
  if (port === undefined || port === '') {
    throw new UsageError(`"${display}" has no port; ${EXAMPLES}`);
  }
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new UsageError(`"${port}" in "${display}" is not a port; ports are 1..65535`);
  }
  return { host: host === '' ? 'localhost' : host, port: Number(port) };
}
