import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failOnNodeWarnings, ManagedProcess, takeNodeWarnings } from '../src/index.js';

const LEAKY = `const signal = new AbortController().signal;
for (let i = 0; i < 11; i++) signal.addEventListener('abort', () => {});`;

/** Runs `node -e script`, as a ManagedProcess, to its end. */
async function node(name: string, script: string, args: string[] = []): Promise<void> {
  const child = ManagedProcess.start(name, process.execPath, [...args, '-e', script]);
  expect((await child.exited).code).toBe(0);
}

describe('when a process a test started prints a Node warning', () => {
  it('names the process and the warning, with the stack --trace-warnings printed, once', async () => {
    await node('leaky', LEAKY, ['--trace-warnings']);
    const [warning, ...others] = await takeNodeWarnings(2000);
    expect(others).toEqual([]);
    expect(warning).toMatch(
      /^leaky \(pid \d+\) stderr: \(node:\d+\) MaxListenersExceededWarning: Possible EventTarget memory leak detected\. 11 abort listeners added to \[AbortSignal\]/,
    );
    expect(warning).toMatch(/\n\s+at /);
    expect(await takeNodeWarnings(2000)).toEqual([]);
    expect(() => failOnNodeWarnings([warning ?? ''])).toThrow(
      /1 Node warning printed \(fix the cause; never raise a limit or silence the warning\):\nleaky/,
    );
  });

  it("counts Node's format on stdout, where a log's own 'Warning:' is not ours", async () => {
    await node(
      'stdout',
      `console.log('# Warning: no config file specified');
       console.log('(node:1) [DEP0040] DeprecationWarning: The punycode module is deprecated.');`,
    );
    expect(await takeNodeWarnings(2000)).toEqual([
      expect.stringMatching(/^stdout \(pid \d+\) stdout: \(node:1\) \[DEP0040\] Deprecation/),
    ]);
  });

  it('counts any Warning: line on stderr', async () => {
    await node('stderr', `console.error('Warning: something is off');`);
    expect(await takeNodeWarnings(2000)).toEqual([
      expect.stringMatching(/^stderr \(pid \d+\) stderr: Warning: something is off$/),
    ]);
  });

  it('counts warnings of the test process itself (servers started in-process)', async () => {
    process.emitWarning('the old way', 'DeprecationWarning', 'DEP0999');
    expect(await takeNodeWarnings()).toEqual([
      expect.stringMatching(/^the test process \(pid \d+\): DeprecationWarning: the old way/),
    ]);
  });
});

describe('the vitest setup file', () => {
  it('fails each test during which a warning was printed, and passes the others', () => {
    const manifest = createRequire(import.meta.url).resolve('vitest/package.json');
    const vitest = join(dirname(manifest), 'vitest.mjs');
    const config = fileURLToPath(new URL('./fixtures/vitest.config.ts', import.meta.url));
    const run = spawnSync(process.execPath, [vitest, 'run', '--config', config], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).toBe(1);
    expect(output).toMatch(/2 failed \| 1 passed/);
    expect(output).toMatch(/FAIL .*starts a process that warns/);
    expect(output).toMatch(/leaky \(pid \d+\) stderr: \(node:\d+\) MaxListenersExceededWarning/);
    expect(output).toMatch(/FAIL .*warns in the test process/);
    expect(output).toMatch(/the test process \(pid \d+\): DeprecationWarning: the old way/);
  });
});
