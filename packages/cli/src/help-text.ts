import { COMMANDS, type CommandName } from './commands.js';

/** `help` in the REPL: the commands, or how to use one of them. */
export function commandHelp(topic?: CommandName): string {
  if (topic !== undefined) {
    const { usage, summary } = COMMANDS[topic];
    return `usage: ${usage}\n  ${summary}`;
  }
  return [
    'Commands:',
    ...commandLines(),
    '',
    'Tab completes a command, Up/Down walk the history, Ctrl-C clears the line',
    'or cancels a running request, Ctrl-D on an empty line exits.',
  ].join('\n');
}

function commandLines(): string[] {
  const width = Math.max(...Object.values(COMMANDS).map(({ usage }) => usage.length));
  return Object.values(COMMANDS).map(
    ({ usage, summary }) => `  ${usage.padEnd(width)}  ${summary}`,
  );
}

/** `calcli --help`. */
export function cliUsage(): string {
  return `calcli: a client for the calc.Calc gRPC service (add, max, nth primes, prime counts)

Usage:
  calcli connect [ADDRESS] [options]   open the REPL, or run -e commands or piped stdin
  calcli help [COMMAND]                show this help, or how to use a command
  calcli --version                     print the version

ADDRESS is :PORT, HOST:PORT, [IPV6]:PORT or dns:///HOST:PORT (e.g. :3000,
twelvefa:80); it defaults to $TWELVEFA_ADDRESS.

Options:
  --tls               connect with TLS (the default is plaintext, unencrypted)
  --ca FILE           trust the PEM CA certificate(s) in FILE (with --tls)
  --cert FILE --key FILE
                      present this PEM client certificate and key (mutual TLS)
  --insecure          with --tls, do not check the server's certificate
                      (encrypted but not authenticated: for testing only)
  --authority NAME    send NAME as :authority and TLS server name instead of
                      the address's host
  --timeout DURATION  how long to wait for the server: 5s, 500ms or seconds
                      (default 5s)
  --max-time DURATION each call's deadline (default none); a call past it
                      ends DEADLINE_EXCEEDED
  -H, --header 'NAME: VALUE'
                      send this metadata with every call; repeatable; a
                      NAME ending in -bin takes a base64 VALUE
  --api-key KEY       authenticate with this API key (authorization: Bearer);
                      defaults to $TWELVEFA_API_KEY, which keeps it out of ps
  -e, --execute CMD   run CMD and exit; repeatable, e.g. -e "np 5"
  --json              print each result as one JSON object, 64-bit values as
                      strings
  -v, --verbose       add grpc-js's own detail to errors (a deadline's
                      timings, a lost connection's last error)
  -h, --help          show this help
  -V, --version       print the version

${commandHelp()}

When stdin is not a terminal, calcli reads one command per line, prints each
result on its own line on stdout and errors on stderr.

Environment:
  TWELVEFA_ADDRESS  the default ADDRESS
  TWELVEFA_API_KEY  the default --api-key
  CALCLI_HISTORY    the history file (default
                    $XDG_STATE_HOME/twelvefa/calcli_history, or
                    ~/.local/state/twelvefa/calcli_history)

Exit codes:
  0     success
  1     failure: the server is unreachable, or a command failed
  2     usage error: a bad option, address or -e command
  64+N  a single -e command failed on the server with gRPC status N
        (e.g. 75 = 64 + OUT_OF_RANGE)
`;
}
