import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureOutput, runCalcli, spawnCalcli } from './support/calcli.js';
import { TwelvefaServer } from './support/twelvefa-server.js';

const SESSION_COMMANDS = 'add 2 5\nmax 2 5\nnp 2 12\nnp 9999 1234 1 2 3 4\npi 100 10000000000000\n';
const SESSION_RESULTS = '7\n5\n3 37\n104723 10061 2 3 5 7\n25 346065536839\n';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}

describe('calcli against a real twelvefa server', () => {
  let server: TwelvefaServer;
  let address: string;

  beforeAll(async () => {
    server = await TwelvefaServer.start();
    address = `:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  describe('when commands are piped on stdin', () => {
    it('prints one result line per command, in order, nothing else, and exits 0', async () => {
      const run = await runCalcli(['connect', address], { input: SESSION_COMMANDS });
      expect(run).toEqual({ code: 0, stdout: SESSION_RESULTS, stderr: '' });
    });

    it('reports each failed line on stderr, goes on, and exits 1', async () => {
      const input =
        'add 2 5\nadd x 1\n\n# comment\nadd 9223372036854775807 1\nnp 10000000000000001\nmax 2 5\n';
      const run = await runCalcli(['connect', address], { input });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('7\n5\n');
      expect(run.stderr.split('\n')).toEqual([
        'line 2: add: "x" is not an integer; usage: add A B',
        expect.stringMatching(/^line 5: OUT_OF_RANGE: \S.*$/),
        expect.stringMatching(/^line 6: OUT_OF_RANGE: \S.*$/),
        '',
      ]);
    });

    it('stops quietly with exit code 0 when whoever reads its results goes away', async () => {
      const child = spawnCalcli(['connect', address]);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.stdin.write('add 1 1\n');
      await new Promise((resolve) => child.stdout.once('data', resolve));
      // Like `calcli ... | head -1`: the reader closes its end; the next result meets a broken pipe.
      child.stdout.destroy();
      child.stdin.end('add 2 2\nadd 3 3\n');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    });

    it('takes clear as a command that prints nothing, in text and in JSON', async () => {
      const input = 'add 1 1\nclear\nadd 2 2\n';
      expect(await runCalcli(['connect', address], { input })).toEqual({
        code: 0,
        stdout: '2\n4\n',
        stderr: '',
      });
      const json = await runCalcli(['connect', address, '--json'], { input });
      expect(json.code).toBe(0);
      expect(
        json.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line).line),
      ).toEqual([1, 3]);
    });

    it('stops at exit', async () => {
      const run = await runCalcli(['connect', address], { input: 'add 1 1\nexit\nadd 2 2\n' });
      expect(run).toEqual({ code: 0, stdout: '2\n', stderr: '' });
    });

    it('accepts a grpc-js dns:/// address', async () => {
      const run = await runCalcli(['connect', `dns:///127.0.0.1:${server.port}`], {
        input: 'np 12\n',
      });
      expect(run).toEqual({ code: 0, stdout: '37\n', stderr: '' });
    });

    it('uses TWELVEFA_ADDRESS when no address is given', async () => {
      const run = await runCalcli(['connect'], {
        input: 'max 2 5\n',
        env: { TWELVEFA_ADDRESS: `127.0.0.1:${server.port}` },
      });
      expect(run).toEqual({ code: 0, stdout: '5\n', stderr: '' });
    });
  });

  describe('when commands are given with -e', () => {
    it('runs them in order and exits 0', async () => {
      const run = await runCalcli(['connect', address, '-e', 'np 5', '-e', 'ADD  2\t5']);
      expect(run).toEqual({ code: 0, stdout: '11\n7\n', stderr: '' });
    });

    it('prints one JSON object per result with 64-bit values as strings', async () => {
      const run = await runCalcli([
        'connect',
        address,
        '--json',
        '-e',
        'add 9223372036854775806 1',
        '-e',
        'max -9223372036854775808 2',
        '-e',
        'np 2 12',
        '-e',
        'pi 100 1000000',
      ]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(
        run.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).toEqual([
        { line: 1, command: 'add', a: '9223372036854775806', b: '1', sum: '9223372036854775807' },
        { line: 2, command: 'max', a: '-9223372036854775808', b: '2', max: '2' },
        { line: 3, command: 'np', n: ['2', '12'], nthPrimes: ['3', '37'] },
        { line: 4, command: 'pi', x: ['100', '1000000'], pi: ['25', '78498'] },
      ]);
    });

    it('with --json, puts errors on stdout too, one object per line, so output zips with input', async () => {
      const child = spawnCalcli(['connect', address, '--json']);
      const output = captureOutput(child);
      child.stdin.end(
        'add 1 2\nadd 9223372036854775807 1\nfrobnicate\nnp 10000000000000001\nmax 3 4\n',
      );
      const [code] = await once(child, 'close');
      expect(code).toBe(1);
      expect(output.stderr).toBe('');
      const objects = output.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(objects.map((object) => object.line)).toEqual([1, 2, 3, 4, 5]);
      expect(objects[0]).toMatchObject({ command: 'add', sum: '3' });
      expect(objects[1]).toEqual({
        line: 2,
        error: { code: 'OUT_OF_RANGE', message: expect.stringMatching(/^OUT_OF_RANGE: \S/) },
      });
      expect(objects[2]).toMatchObject({ line: 3, error: { code: 'USAGE' } });
      expect(objects[3]).toMatchObject({ line: 4, error: { code: 'OUT_OF_RANGE' } });
      expect(objects[4]).toMatchObject({ command: 'max', max: '4' });
    });

    it('exits 64 + the gRPC status code when a single command fails on the server', async () => {
      const overflow = await runCalcli(['connect', address, '-e', 'add 9223372036854775807 1']);
      expect(overflow.code).toBe(64 + 11);
      expect(overflow.stdout).toBe('');
      expect(overflow.stderr).toMatch(/^OUT_OF_RANGE: \S[^\n]*\n$/);
    });

    it('exits 1 when one of several commands fails', async () => {
      const run = await runCalcli([
        'connect',
        address,
        '-e',
        'add 1 1',
        '-e',
        'np 10000000000000001',
      ]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('2\n');
      expect(run.stderr).toMatch(/^-e #2: OUT_OF_RANGE: \S[^\n]*\n$/);
    });

    it('sends -H headers with every call: the server logs the request id it was given', async () => {
      const run = await runCalcli([
        'connect',
        address,
        '-H',
        'X-Request-Id: calcli-e2e-42',
        '-e',
        'max 1 9',
      ]);
      expect(run).toEqual({ code: 0, stdout: '9\n', stderr: '' });
      await server.waitForLog(
        (line) => line.requestId === 'calcli-e2e-42' && line.method === 'Max',
      );
    });

    it('ends a call past --max-time DEADLINE_EXCEEDED, exit 64 + 4', async () => {
      const started = Date.now();
      const run = await runCalcli([
        'connect',
        address,
        '--max-time',
        '300ms',
        '-e',
        'np 100000000000000',
      ]);
      expect(run.code).toBe(64 + 4);
      // The limit that was hit, not grpc-js's timings ("Deadline exceeded after 0.301s,name
      // resolution: 0.001s,...,remote_addr=127.0.0.1:PORT").
      expect(run.stderr).toBe('DEADLINE_EXCEEDED: deadline of 300ms exceeded\n');
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it("adds grpc-js's own account of an error with -v, on the same line", async () => {
      const run = await runCalcli([
        'connect',
        address,
        '-v',
        '--max-time',
        '300ms',
        '-e',
        'np 99999999999997',
      ]);
      expect(run.code).toBe(64 + 4);
      expect(run.stderr).toMatch(
        /^DEADLINE_EXCEEDED: deadline of 300ms exceeded \(grpc-js: Deadline exceeded[^\n]*\)\n$/,
      );
      const verbose = await runCalcli(['connect', address, '--verbose', '-e', 'add 2 5']);
      expect(verbose).toEqual({ code: 0, stdout: '7\n', stderr: '' });
    });

    it('suggests the nearest command for a typo, as a usage error before connecting', async () => {
      const run = await runCalcli(['connect', `:${await closedPort()}`, '-e', 'ad 2 5']);
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'calcli: -e "ad 2 5": unknown command "ad"; did you mean add? (see calcli --help)\n',
      });
    });

    it('with --json, reports usage errors as JSON lines on stdout, an -e one with its number', async () => {
      const env = { TWELVEFA_ADDRESS: `:${await closedPort()}` };
      expect(await runCalcli(['-e', 'ad 2 5', '--json'], { env })).toEqual({
        code: 2,
        stdout: `${JSON.stringify({
          line: 1,
          error: { code: 'USAGE', message: 'unknown command "ad"; did you mean add?' },
        })}\n`,
        stderr: '',
      });
      const several = await runCalcli(
        ['connect', '--json', '-e', 'ad 2 5', '-e', 'add 1 2', '-e', 'np 0'],
        { env },
      );
      expect(several.code).toBe(2);
      expect(several.stderr).toBe('');
      expect(
        several.stdout
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ).toEqual([
        { line: 1, error: { code: 'USAGE', message: 'unknown command "ad"; did you mean add?' } },
        {
          line: 3,
          error: { code: 'USAGE', message: 'np: n must be at least 1, got 0 (the 1st prime is 2)' },
        },
      ]);
      // A mistake in the options answers no input line: the object has none.
      expect(await runCalcli(['connect', '--json', '--bogus'], { env })).toEqual({
        code: 2,
        stdout: `${JSON.stringify({ error: { code: 'USAGE', message: 'unknown option "--bogus"' } })}\n`,
        stderr: '',
      });
    });

    it('rejects an invalid command as a usage error before connecting', async () => {
      const run = await runCalcli(['connect', `:${await closedPort()}`, '-e', 'add 1']);
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'calcli: -e "add 1": add takes 2 integers, got 1; usage: add A B (see calcli --help)\n',
      });
    });
  });

  describe('when the server goes away mid-session', () => {
    it('reports it on the next command and reconnects once the server is back', async () => {
      const own = await TwelvefaServer.start();
      const port = own.port;
      const child = spawnCalcli(['connect', `127.0.0.1:${port}`]);
      const output = captureOutput(child);
      const until = async (condition: () => boolean): Promise<void> => {
        const deadline = Date.now() + 10_000;
        while (!condition()) {
          if (Date.now() > deadline) {
            throw new Error(`timed out; stdout=${output.stdout} stderr=${output.stderr}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      let restarted: TwelvefaServer | undefined;
      try {
        child.stdin.write('add 1 2\n');
        await until(() => output.stdout === '3\n');
        await own.close();
        child.stdin.write('add 2 2\n');
        await until(() => output.stderr.includes('\n'));
        expect(output.stderr).toMatch(
          new RegExp(
            `^line 2: UNAVAILABLE: lost the connection to 127\\.0\\.0\\.1:${port}: connection refused \\(is the server running on that port\\?\\)\\n$`,
          ),
        );
        restarted = await TwelvefaServer.start(port);
        child.stdin.end('add 3 3\n');
        const [code] = await once(child, 'close');
        expect(code).toBe(1);
        expect(output.stdout).toBe('3\n6\n');
      } finally {
        child.kill();
        await own.close();
        await restarted?.close();
      }
    });
  });
});

describe('calcli without a server', () => {
  it('fails at once on a refused address with the default 5 s timeout, naming it and why', async () => {
    const port = await closedPort();
    const started = Date.now();
    const run = await runCalcli(['connect', `127.0.0.1:${port}`, '-e', 'add 1 2']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `calcli: cannot connect to 127.0.0.1:${port}: connection refused (is the server running on that port?)\n`,
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails the same way with piped stdin, and understands a bare port', async () => {
    const port = await closedPort();
    const run = await runCalcli(['connect', String(port)], { input: 'add 1 2\n' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `calcli: cannot connect to ${port}: connection refused (is the server running on that port?)\n`,
    );
  });

  it('says when a host does not exist or a unix socket is missing', async () => {
    const host = await runCalcli(['connect', 'no-such-host.invalid:3000', '-e', 'add 1 2']);
    expect(host.code).toBe(1);
    expect(host.stderr).toBe(
      'calcli: cannot connect to no-such-host.invalid:3000: host "no-such-host.invalid" not found\n',
    );
    const socket = await runCalcli(['connect', 'unix:/tmp/no-such-twelvefa.sock', '-e', 'add 1 2']);
    expect(socket.code).toBe(1);
    expect(socket.stderr).toBe(
      'calcli: cannot connect to unix:/tmp/no-such-twelvefa.sock: no socket at /tmp/no-such-twelvefa.sock (is the server running?)\n',
    );
  });

  it('still waits out --timeout for a port that accepts connections but never answers', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const run = await runCalcli([
        'connect',
        `127.0.0.1:${port}`,
        '--timeout',
        '1s',
        '-e',
        'add 1 2',
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^calcli: cannot connect to 127\\.0\\.0\\.1:${port}`));
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      silent.close();
    }
  });

  it('documents plaintext, the options and the exit codes in --help', async () => {
    const run = await runCalcli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('the default is plaintext');
    expect(run.stdout).toContain('--timeout DURATION');
    expect(run.stdout).toMatch(/0 +success/);
    expect(run.stdout).toMatch(/1 +failure/);
    expect(run.stdout).toMatch(/2 +usage error/);
    expect(run.stdout).toMatch(/64\+N +a single -e command failed on the server/);
    expect(run.stdout).toMatch(/^ {2}-v, --verbose +add grpc-js's own detail to errors/m);
    expect(run.stdout).toMatch(/^ {2}clear +clear the screen/m);
    expect((await runCalcli(['help'])).stdout).toBe(run.stdout);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(await runCalcli(['--version'])).toEqual({
      code: 0,
      stdout: `calcli ${version}\n`,
      stderr: '',
    });
  });

  it('exits 2 on a usage error', async () => {
    const run = await runCalcli(['connect', ':3000', '--colour']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'calcli: unknown option "--colour" (see calcli --help)\n',
    });
  });

  it('words option mistakes in one line with balanced quotes, suggesting a near option', async () => {
    const stderr = async (...args: string[]): Promise<string> => {
      const run = await runCalcli(args);
      expect(run.code).toBe(2);
      return run.stderr;
    };
    expect(await stderr('--bogus')).toBe('calcli: unknown option "--bogus" (see calcli --help)\n');
    expect(await stderr('connect', ':3000', '--josn')).toBe(
      'calcli: unknown option "--josn"; did you mean --json? (see calcli --help)\n',
    );
    expect(await stderr('connect', ':3000', '-e')).toBe(
      'calcli: -e, --execute needs a value (see calcli --help)\n',
    );
    expect(await stderr('connect', ':3000', '-e', '--json')).toBe(
      'calcli: -e needs a value; for one that starts with "-", write --execute=-XYZ (see calcli --help)\n',
    );
    expect(await stderr('conect', ':3000')).toBe(
      'calcli: unknown command "conect"; did you mean connect? (see calcli --help)\n',
    );
  });
});

describe('calcli against a server that wants API keys', () => {
  const key = `tfa_${randomBytes(32).toString('base64url')}`;
  let server: TwelvefaServer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'calcli-keys-'));
    const sha256 = createHash('sha256').update(key).digest('hex');
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [{ client: 'e2e', sha256 }] }));
    server = await TwelvefaServer.start(0, { AUTH_KEYS_FILE: file });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused without a key: UNAUTHENTICATED, exit 64 + 16, saying how to send one', async () => {
    const run = await runCalcli(['connect', `:${server.port}`, '-e', 'add 2 5']);
    expect(run.code).toBe(64 + 16);
    expect(run.stderr).toMatch(/^UNAUTHENTICATED: .*--api-key/);
  });

  it('answers with --api-key, or the key in TWELVEFA_API_KEY', async () => {
    expect(
      await runCalcli(['connect', `:${server.port}`, '--api-key', key, '-e', 'add 2 5']),
    ).toEqual({ code: 0, stdout: '7\n', stderr: '' });
    expect(
      await runCalcli(['connect', `:${server.port}`, '-e', 'np 2 12'], {
        env: { TWELVEFA_API_KEY: key },
      }),
    ).toEqual({ code: 0, stdout: '3 37\n', stderr: '' });
    await server.waitForLog((line) => line.msg === 'request' && line.client === 'key:e2e');
  });
});
