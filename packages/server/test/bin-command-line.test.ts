import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort, watchStream } from '@twelvefa/test-support';
import { describe, expect, it } from 'vitest';
import { BIN_NAMES, type BinName, variablesReadBy } from '../src/config/config-variables.js';
import { BIN } from './helpers/bins.js';
import { documentedDefaults } from './helpers/configuration-doc.js';

const SCRIPTS: Record<BinName, string> = {
  twelvefa: BIN.api,
  'twelvefa-worker': BIN.worker,
  'twelvefa-health': BIN.health,
  'twelvefa-dashboard': BIN.dashboard,
  'twelvefa-events': BIN.events,
  'twelvefa-keys': BIN.keys,
};
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };
const DOCUMENTED = new Map(documentedDefaults());
/** Bins that will not start without REDIS_URL: their --help says so instead of "unset". */
const NEED_REDIS: readonly BinName[] = ['twelvefa-worker', 'twelvefa-dashboard', 'twelvefa-events'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a built bin to its end, with only PATH and `env` in its environment. A bin that starts
 * serving instead of exiting is killed after 10 s, and its run has no exit code.
 */
function run(bin: BinName, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPTS[bin], ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    watchStream(`${bin} ${args.join(' ')} stderr`, child.stderr, 'any', exited);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The variable lines of a --help: name and default, as printed. */
function helpVariables(help: string): [name: string, shown: string][] {
  const section = help.split(/^Environment.*$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([A-Z][A-Z0-9_]*) +(\S+(?: \S+)*?)(?: {2,}|$)/gm)].map(
    ([, name, shown]) => [name ?? '', shown ?? ''],
  );
}

describe.each(BIN_NAMES)('%s', (bin) => {
  it('--help and -h print what it does and every variable it reads with its documented default, exit 0 and start nothing', async () => {
    // A port that is free, and a variable that would stop a start: neither matters to --help.
    const env = { PORT: String(await freePort()), MAX_N: 'lots' };
    const [long, short] = await Promise.all([run(bin, ['--help'], env), run(bin, ['-h'], env)]);
    expect(long.code, long.stderr).toBe(0);
    expect(long.stderr).toBe('');
    expect(short).toEqual(long);
    expect(long.stdout).toMatch(new RegExp(`^usage: ${bin} `));
    const listed = helpVariables(long.stdout);
    expect(listed.map(([name]) => name)).toEqual(variablesReadBy(bin).map(({ name }) => name));
    for (const [name, shown] of listed) {
      const documented = DOCUMENTED.get(name)?.replaceAll('`', '');
      const expected = name === 'REDIS_URL' && NEED_REDIS.includes(bin) ? 'required' : documented;
      expect(shown, name).toBe(expected);
    }
    for (const line of long.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('--version and -V print the package version and exit 0', async () => {
    const [long, short] = await Promise.all([run(bin, ['--version']), run(bin, ['-V'])]);
    expect(long).toEqual({ code: 0, stdout: `${bin} ${version}\n`, stderr: '' });
    expect(short).toEqual(long);
  });

  it('an unknown option exits 2 with one line naming it and where the usage is', async () => {
    expect(await run(bin, ['--bogus'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `${bin}: unknown option '--bogus'; see ${bin} --help\n`,
    });
  });
});

describe('what each --help lists', () => {
  it('matches what each bin is for', async () => {
    const names = async (bin: BinName) =>
      helpVariables((await run(bin, ['--help'])).stdout).map(([name]) => name);
    const [api, worker, dashboard, events, keys, health] = await Promise.all([
      names('twelvefa'),
      names('twelvefa-worker'),
      names('twelvefa-dashboard'),
      names('twelvefa-events'),
      names('twelvefa-keys'),
      names('twelvefa-health'),
    ]);
    expect(api).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'METRICS_PORT', 'EVENT_LOG']));
    expect(api).not.toContain('WORKER_CONCURRENCY');
    expect(worker).toEqual(
      expect.arrayContaining(['REDIS_URL', 'WORKER_CONCURRENCY', 'SHUTDOWN_GRACE_MS']),
    );
    expect(worker).not.toContain('PORT');
    expect(dashboard).toEqual(expect.arrayContaining(['DASHBOARD_PORT', 'QUEUE_PREFIX']));
    expect(events).toEqual(expect.arrayContaining(['EVENT_STREAM', 'EVENT_GROUP']));
    expect(keys).toEqual(['AUTH_KEYS_FILE']);
    expect(health).toEqual([]);
  });
});

describe('arguments a bin does not take', () => {
  it('exit 2 in one line: a stray argument, or twelvefa-health without its ADDRESS', async () => {
    const [api, health] = await Promise.all([
      run('twelvefa', ['serve']),
      run('twelvefa-health', []),
    ]);
    expect(api).toEqual({
      code: 2,
      stdout: '',
      stderr: "twelvefa: unexpected argument 'serve'; see twelvefa --help\n",
    });
    expect(health).toEqual({
      code: 2,
      stdout: '',
      stderr: 'twelvefa-health: an ADDRESS is needed; see twelvefa-health --help\n',
    });
  });
});
