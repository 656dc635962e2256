import { cp, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tail } from '@twelvefa/test-support';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { runCommand } from './commands.js';
import { contextFiles, copyFromContext, copyInto } from './dockerfile-copy.js';

/** A build stage as replayed on the local file system. */
export interface ReplayedStage {
  readonly name: string;
  /** The directory standing in for the stage's "/". */
  readonly root: string;
  workdir: string;
  readonly env: Record<string, string>;
  readonly args: Record<string, string>;
  cmd: string[];
  user: string | undefined;
  readonly exposed: string[];
}

/** Options of replayDockerfile. */
export interface ReplayOptions {
  /** The build context (a directory), filtered by its .dockerignore. */
  readonly context: string;
  /** The Dockerfile's path. */
  readonly dockerfile: string;
  /** An empty scratch directory; each stage gets a sub-directory. */
  readonly scratch: string;
  /** Timeout of each RUN step. Default 5 minutes. */
  readonly runTimeoutMs?: number;
  /** Called before each instruction, e.g. for progress logs. */
  readonly onStep?: (stage: string, instruction: string) => void;
}

// The replay runs RUN steps with this machine's tools, so the environment of the
// test runner (npm's lifecycle variables, turbo's) must not leak into them.
function cleanEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|TURBO_|VITEST|INIT_CWD$|NODE_ENV$|NODE_OPTIONS$)/i.test(key)) continue;
    env[key] = value;
  }
  return env;
}

function substitute(text: string, values: Record<string, string>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, a, b) => {
      const name = (a ?? b) as string;
      return values[name] ?? whole;
    },
  );
}

/** Maps an absolute path of the image to the stage's directory. */
export function stagePath(stage: ReplayedStage, imagePath: string): string {
  const absolute = imagePath.startsWith('/') ? imagePath : join(stage.workdir, imagePath);
  return join(stage.root, absolute);
}

/** The stage's PATH with its own directories mapped to the replay, then this machine's PATH. */
export function stageSearchPath(stage: ReplayedStage): string {
  const own = (stage.env.PATH ?? '')
    .split(':')
    .filter((entry) => entry.startsWith('/app'))
    .map((entry) => join(stage.root, entry));
  return [...own, process.env.PATH ?? ''].join(':');
}

/** The environment the stage's processes see: its ENV, with PATH mapped. */
export function stageEnvironment(stage: ReplayedStage): Record<string, string> {
  return { ...cleanEnvironment(), ...stage.env, PATH: stageSearchPath(stage) };
}

function flagValue(instruction: Instruction, name: string): string | undefined {
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  const flag = withFlags.getFlags?.().find((f) => f.getName() === name);
  return flag?.getValue() ?? undefined;
}

/** The exec form's argv (`CMD ["a", "b"]`), or undefined for the shell form. */
function execForm(content: string): string[] | undefined {
  const text = content.trim();
  if (!text.startsWith('[')) return undefined;
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`not an exec form: ${text}`);
  }
  return value;
}

/**
 * Replays a Dockerfile's stages without Docker: each stage is a directory standing
 * in for its root file system; COPY copies (from the .dockerignore-filtered context
 * or an earlier stage), RUN runs with `sh -c` in the stage's WORKDIR, ENV/ARG/USER/
 * EXPOSE/CMD are recorded. A base image that is not an earlier stage starts empty:
 * its tools are this machine's (the same Node.js major as the image).
 */
export async function replayDockerfile(
  options: ReplayOptions,
): Promise<Map<string, ReplayedStage>> {
  const text = await readFile(options.dockerfile, 'utf8');
  const dockerfile = DockerfileParser.parse(text);
  const globalArgs: Record<string, string> = {};
  const stages = new Map<string, ReplayedStage>();
  let stage: ReplayedStage | undefined;
  let contextList: string[] | undefined;

  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const args = instruction.getArguments().map((a) => a.getValue());
    const content = instruction.getArgumentsContent() ?? '';
    options.onStep?.(stage?.name ?? '(global)', `${keyword} ${content}`.slice(0, 160));

    if (keyword === 'ARG') {
      const [name, value] = (args[0] ?? '').split('=', 2) as [string, string | undefined];
      if (stage === undefined) globalArgs[name] = value ?? globalArgs[name] ?? '';
      else stage.args[name] = value ?? globalArgs[name] ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const image = substitute(args.find((a) => !a.startsWith('--')) ?? '', globalArgs);
      const asIndex = args.findIndex((a) => a.toUpperCase() === 'AS');
      const name = asIndex >= 0 ? (args[asIndex + 1] ?? '') : `stage-${stages.size}`;
      const parent = stages.get(image);
      const root = join(options.scratch, name);
      await mkdir(root, { recursive: true });
      if (parent) await cp(parent.root, root, { recursive: true, verbatimSymlinks: true });
      stage = {
        name,
        root,
        workdir: parent?.workdir ?? '/',
        env: { ...(parent?.env ?? {}) },
        args: {},
        cmd: [...(parent?.cmd ?? [])],
        user: parent?.user,
        exposed: [...(parent?.exposed ?? [])],
      };
      stages.set(name, stage);
      continue;
    }
    if (stage === undefined) throw new Error(`${keyword} before the first FROM`);
    const current = stage;
    const values = { ...current.args, ...current.env };

    switch (keyword) {
      case 'WORKDIR': {
        current.workdir = resolve(current.workdir, substitute(content.trim(), values));
        await mkdir(stagePath(current, current.workdir), { recursive: true });
        break;
      }
      case 'ENV': {
        const properties = (
          instruction as Instruction & {
            getProperties: () => { getName(): string; getValue(): string | null }[];
          }
        ).getProperties();
        for (const property of properties) {
          current.env[property.getName()] = substitute(property.getValue() ?? '', {
            ...values,
            ...current.env,
          });
        }
        break;
      }
      case 'COPY': {
        const from = flagValue(instruction, 'from');
        const paths = args.filter((a) => !a.startsWith('--')).map((a) => substitute(a, values));
        const destinationArg = paths.pop();
        if (destinationArg === undefined || paths.length === 0)
          throw new Error(`bad COPY ${content}`);
        const destination = stagePath(current, destinationArg);
        const isDirectoryTarget = destinationArg.endsWith('/') || paths.length > 1;
        for (const sourceArg of paths) {
          if (from !== undefined) {
            const source = stages.get(from);
            if (!source) throw new Error(`COPY --from=${from}: no such stage`);
            await copyInto(stagePath(source, sourceArg), destination, isDirectoryTarget);
          } else {
            contextList ??= await contextFiles(options.context);
            await copyFromContext(
              options.context,
              contextList,
              sourceArg,
              destination,
              isDirectoryTarget,
            );
          }
        }
        break;
      }
      case 'RUN': {
        const command = content.replace(/\\\r?\n/g, ' ');
        const result = await runCommand('sh', ['-c', command], {
          cwd: stagePath(current, current.workdir),
          env: { ...cleanEnvironment(), ...values, PATH: stageSearchPath(current) },
          timeoutMs: options.runTimeoutMs ?? 300_000,
        });
        if (result.code !== 0) {
          throw new Error(
            `stage ${current.name}: RUN ${command}\nexited ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`,
          );
        }
        break;
      }
      case 'CMD':
        current.cmd = execForm(content) ?? ['/bin/sh', '-c', content];
        break;
      case 'USER':
        current.user = substitute(content.trim(), values);
        break;
      case 'EXPOSE':
        current.exposed.push(...args);
        break;
      default:
        throw new Error(
          `the replay does not support ${keyword}; extend it or avoid the instruction`,
        );
    }
  }
  return stages;
}
