import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../src/duration.js';
import { asksForJson, DEFAULT_CONNECT_TIMEOUT_MS, parseInvocation } from '../src/invocation.js';
import { UsageError } from '../src/usage-error.js';

describe('parseInvocation', () => {
  it('reads help, --help, -h, --version and -V', () => {
    expect(parseInvocation(['help'], {})).toEqual({ kind: 'help' });
    expect(parseInvocation(['help', 'np'], {})).toEqual({ kind: 'help', topic: 'np' });
    expect(parseInvocation(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseInvocation(['connect', ':3000', '-h'], {})).toEqual({ kind: 'help' });
    expect(parseInvocation(['--version'], {})).toEqual({ kind: 'version' });
    expect(parseInvocation(['-V'], {})).toEqual({ kind: 'version' });
  });

  it('connects in plaintext with a 5 s timeout by default', () => {
    expect(parseInvocation(['connect', ':3000'], {})).toEqual({
      kind: 'connect',
      address: {
        display: ':3000',
        target: 'localhost:3000',
        endpoint: { host: 'localhost', port: 3000 },
      },
      tls: false,
      connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS,
      insecure: false,
      headers: [],
      execute: [],
      format: 'text',
      verbose: false,
    });
  });

  it('takes the address from TWELVEFA_ADDRESS when none is given', () => {
    const invocation = parseInvocation(['connect'], { TWELVEFA_ADDRESS: 'twelvefa:80' });
    expect(invocation).toMatchObject({ kind: 'connect', address: { target: 'twelvefa:80' } });
    expect(parseInvocation([], { TWELVEFA_ADDRESS: 'twelvefa:80' })).toEqual(invocation);
  });

  it('sends an API key from --api-key or TWELVEFA_API_KEY as authorization: Bearer, after -H', () => {
    expect(
      parseInvocation(['connect', ':3000', '-H', 'x-a: 1', '--api-key', 'tfa_k'], {}),
    ).toMatchObject({
      headers: [
        ['x-a', '1'],
        ['authorization', 'Bearer tfa_k'],
      ],
    });
    expect(parseInvocation(['connect', ':3000'], { TWELVEFA_API_KEY: 'tfa_e' })).toMatchObject({
      headers: [['authorization', 'Bearer tfa_e']],
    });
    // The flag wins over the environment.
    expect(
      parseInvocation(['connect', ':3000', '--api-key', 'tfa_k'], { TWELVEFA_API_KEY: 'tfa_e' }),
    ).toMatchObject({ headers: [['authorization', 'Bearer tfa_k']] });
  });

  it('reads every option, before or after the address', () => {
    const invocation = parseInvocation(
      [
        '--tls',
        'connect',
        '--ca',
        'ca.pem',
        'calc.example.com:443',
        '--timeout',
        '500ms',
        '-e',
        'np 5',
        '--execute',
        'add 1 2',
        '--json',
        '--cert',
        'client.pem',
        '--key',
        'client-key.pem',
        '--insecure',
        '--authority',
        'calc.internal',
        '-H',
        'X-Request-Id: abc-1',
        '--header',
        'trace-bin: AAEC',
        '--max-time',
        '2s',
        '-v',
      ],
      {},
    );
    expect(invocation).toEqual({
      kind: 'connect',
      address: {
        display: 'calc.example.com:443',
        target: 'calc.example.com:443',
        endpoint: { host: 'calc.example.com', port: 443 },
      },
      tls: true,
      caFile: 'ca.pem',
      connectTimeoutMs: 500,
      clientCertificateFiles: { cert: 'client.pem', key: 'client-key.pem' },
      insecure: true,
      authority: 'calc.internal',
      headers: [
        ['x-request-id', 'abc-1'],
        ['trace-bin', Buffer.from([0, 1, 2])],
      ],
      callTimeoutMs: 2000,
      execute: ['np 5', 'add 1 2'],
      format: 'json',
      verbose: true,
    });
  });

  it.each([
    [
      ['connect'],
      'no server address: pass one (calcli connect localhost:3000) or set TWELVEFA_ADDRESS',
    ],
    [['connect', ':1', ':2'], 'connect takes one ADDRESS, got 2: :1 :2'],
    [['connect', ':3000', '--ca', 'ca.pem'], '--ca only applies to TLS; add --tls'],
    [['connect', ':3000', '--insecure'], '--insecure only applies to TLS; add --tls'],
    [
      ['connect', ':3000', '--tls', '--cert', 'c.pem'],
      '--cert and --key go together: the certificate and its private key',
    ],
    [['connect', ':3000', '-H', 'novalue'], '-H "novalue": write it as "name: value"'],
    [
      ['connect', ':3000', '--api-key', 'k', '-H', 'authorization: Bearer j'],
      'give the API key once: --api-key (or $TWELVEFA_API_KEY) or -H authorization',
    ],
    [
      ['connect', ':3000', '--api-key', 'a key'],
      'the API key has a space or a character that is not printable ASCII',
    ],
    [
      ['connect', ':3000', '-H', 'grpc-timeout: 1S'],
      '-H "grpc-timeout: 1S": grpc- headers belong to the protocol (use --max-time for a deadline)',
    ],
    [
      ['connect', ':3000', '-H', 'a b: c'],
      '-H "a b: c": a header name has only a-z, 0-9, "-", "_" and "."',
    ],
    [
      ['connect', ':3000', '--max-time', 'never'],
      '--max-time must be a positive duration such as 5s, 500ms or 2.5, got "never"',
    ],
    [
      ['connect', ':3000', '--timeout', 'soon'],
      '--timeout must be a positive duration such as 5s, 500ms or 2.5, got "soon"',
    ],
    [
      ['connect', ':3000', '--timeout', '0'],
      '--timeout must be a positive duration such as 5s, 500ms or 2.5, got "0"',
    ],
    [['dial', ':3000'], 'unknown command "dial"; use connect or help'],
    [['help', 'sub'], 'help: no command "sub"'],
    [['help', 'ad'], 'help: no command "ad"; did you mean add?'],
    [['conect', ':3000'], 'unknown command "conect"; did you mean connect?'],
    [['connect', ':3000', '--colour'], 'unknown option "--colour"'],
    [['connect', ':3000', '--verbos'], 'unknown option "--verbos"; did you mean --verbose?'],
    [['connect', ':3000', '-x'], 'unknown option "-x"'],
    [['connect', ':3000', '--max-time'], '--max-time needs a value'],
    [['connect', ':3000', '--json=yes'], '--json takes no value'],
    [['help', 'add', 'max'], 'help takes at most one command name, got 2'],
  ])('rejects %j with a usage error', (argv, message) => {
    expect(() => parseInvocation(argv, {})).toThrow(new UsageError(message));
  });

  it('turns unknown options into a usage error', () => {
    expect(() => parseInvocation(['connect', ':3000', '--colour'], {})).toThrow(UsageError);
    expect(() => parseInvocation(['connect', ':3000', '--timeout'], {})).toThrow(UsageError);
  });
});

describe('asksForJson', () => {
  it('sees --json even on a command line that does not parse', () => {
    expect(asksForJson(['connect', '--json', '--bogus'])).toBe(true);
    expect(asksForJson(['-e', 'ad 2 5', '--json'])).toBe(true);
    expect(asksForJson(['connect', ':3000', '--bogus'])).toBe(false);
    // There --json is the value of -e.
    expect(asksForJson(['connect', '-e', '--json'])).toBe(false);
  });
});

describe('durations', () => {
  it.each([
    ['5', 5000],
    ['2.5', 2500],
    ['5s', 5000],
    ['250ms', 250],
  ])('parses %j as %i ms', (text, ms) => {
    expect(parseDuration('--timeout', text)).toBe(ms);
  });

  it.each([
    [5000, '5s'],
    [1500, '1.5s'],
    [250, '250ms'],
  ])('formats %i ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
