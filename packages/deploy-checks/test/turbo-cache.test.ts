import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { REPO_ROOT } from '../src/repo-root.js';

interface DryTask {
  readonly taskId: string;
  readonly directory: string;
  readonly outputs: readonly string[] | null;
  readonly inputs: Readonly<Record<string, string>>;
}

// Turbo hashes every task's inputs before any task runs. A task whose inputs include what an
// earlier task of the same run writes is hashed without those files on a first run and with
// them on the second, so an unchanged tree rebuilds: each task's inputs must leave out what
// the other tasks output.
describe('the turbo tasks of npm start and npm run build', () => {
  it('hash no file another task writes, so an unchanged tree is a full cache hit', async () => {
    const dry = await runCommand('npx', ['turbo', 'run', 'build', 'lint', 'test', '--dry=json'], {
      cwd: REPO_ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    });
    expect(dry.code, dry.stderr).toBe(0);
    const tasks = (JSON.parse(dry.stdout) as { tasks: DryTask[] }).tasks;
    const written = tasks.flatMap((task) =>
      (task.outputs ?? []).map((glob) => ({
        by: task.taskId,
        directory: task.directory,
        prefix: glob.replace(/\*\*$/, ''),
      })),
    );
    const clashes: string[] = [];
    for (const task of tasks) {
      for (const input of Object.keys(task.inputs)) {
        const writer = written.find(
          (output) =>
            output.by !== task.taskId &&
            output.directory === task.directory &&
            output.prefix !== '' &&
            input.startsWith(output.prefix),
        );
        if (writer !== undefined)
          clashes.push(`${task.taskId} hashes ${input}, written by ${writer.by}`);
      }
    }
    expect(clashes).toEqual([]);
    // The generated code exists here (the suite runs after the build), so the check saw it.
    expect(written.some((output) => output.prefix === 'src/gen/')).toBe(true);
  });
});
