import { readFileSync } from 'node:fs';
import { type BinName, type ConfigVariable, variablesReadBy } from '../config/config-variables.js';

/** What a bin's --help says above its environment variables. */
interface BinDescription {
  /** The usage line, after "usage: ". */
  readonly usage: string;
  /** What it does, and its own arguments. */
  readonly about: string;
  /** Whether it reads its variables through EnvReader, which also takes NAME_FILE. */
  readonly fileVariables: boolean;
}

const COMMON_OPTIONS = `  -h, --help     print this help and exit
  -V, --version  print the version and exit`;

const DESCRIPTIONS: Record<BinName, BinDescription> = {
  twelvefa: {
    usage: 'twelvefa [--help] [--version]',
    about: `The twelvefa API: serves calc.Calc (Add, Max, NthPrimes), grpc.health.v1 and reflection
over gRPC on HOST:PORT. Heavy nth primes run on its own worker threads, or, with REDIS_URL, as
BullMQ jobs that twelvefa-worker processes run. Logs go to stdout; SIGTERM or SIGINT stops it
gracefully within SHUTDOWN_GRACE_MS.`,
    fileVariables: true,
  },
  'twelvefa-worker': {
    usage: 'twelvefa-worker [--help] [--version]',
    about: `Runs the nth-prime jobs the API queues in the Redis at REDIS_URL, each on a worker thread;
start as many as the heavy work needs. Logs go to stdout; SIGTERM or SIGINT stops taking jobs,
and jobs not finished within SHUTDOWN_GRACE_MS go back to the queue for another worker.`,
    fileVariables: true,
  },
  'twelvefa-health': {
    usage: 'twelvefa-health ADDRESS [SERVICE]   e.g. twelvefa-health :3000',
    about: `Asks the gRPC health service at ADDRESS (:PORT or HOST:PORT, plaintext) about SERVICE (by
default "", the whole server; also liveness, readiness, calc.Calc) with a 5 s deadline, prints
the status, and exits 0 for SERVING, 1 otherwise.`,
    fileVariables: false,
  },
  'twelvefa-dashboard': {
    usage: 'twelvefa-dashboard [--help] [--version]',
    about: `Serves the queue dashboard (bull-board) over the job queue in the Redis at REDIS_URL, on
http://DASHBOARD_HOST:DASHBOARD_PORT/: read-only unless DASHBOARD_ACTIONS, and behind basic
auth when a user and password are set or generated. SIGTERM or SIGINT stops it.`,
    fileVariables: true,
  },
  'twelvefa-events': {
    usage: 'twelvefa-events [--follow] [--from ID] [--group NAME] [--consumer NAME]',
    about: `Prints the events of the event log (EVENT_STREAM at REDIS_URL) as JSON lines.

  (no --from)   read as one consumer of the group EVENT_GROUP: events are shared
                between the consumers of a group, acknowledged once printed, and
                a restart resumes where the last run stopped
  --from ID     replay from a stream id (0 = the oldest event kept) without a
                group: nothing is acknowledged, no group moves
  --follow, -f  keep waiting for new events (Ctrl-C stops)
  --group NAME, --consumer NAME   override EVENT_GROUP and EVENT_CONSUMER`,
    fileVariables: true,
  },
  'twelvefa-keys': {
    usage: 'twelvefa-keys <command> [--file PATH]',
    about: `Manages the API keys file the API reads (AUTH_KEYS_FILE, the default for --file). The file
holds only each key's SHA-256; a running API picks changes up within AUTH_KEYS_RELOAD_MS.

  add CLIENT [--methods Add,Max,NthPrimes] [--rate-limit-cpu-seconds N]
        issues a new key for CLIENT and prints it on stdout, once: it is not kept anywhere.
        A client may hold several keys, which is how a key is rotated: add a new one, hand
        it over, then revoke the old one by its hash.
  revoke CLIENT | --sha256 PREFIX
        removes every key of CLIENT, or the one key whose SHA-256 starts with PREFIX
  list  prints each key's client, SHA-256 prefix, methods and rate limit`,
    fileVariables: false,
  },
};

/** The version in @twelvefa/server's package.json (one level above both src/ and dist/). */
export function serverVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
  return version;
}

/** A variable's Default column in --help: the value, or the words without Markdown. */
function helpDefault(variable: ConfigVariable, bin: BinName): string {
  if (variable.requiredBy?.includes(bin)) return 'required';
  const { unset } = variable;
  return 'value' in unset ? unset.value : unset.words.replaceAll('`', '');
}

function environmentSection(bin: BinName, fileVariables: boolean): string {
  const variables = variablesReadBy(bin);
  if (variables.length === 0) return 'Environment: none.\n';
  const rows = variables.map((variable) => ({
    name: variable.name,
    value: helpDefault(variable, bin),
    meaning: variable.meaning,
  }));
  const nameWidth = Math.max(...rows.map(({ name }) => name.length));
  const valueWidth = Math.max(...rows.map(({ value }) => value.length));
  const lines = rows.map(
    ({ name, value, meaning }) =>
      `  ${name.padEnd(nameWidth)}  ${value.padEnd(valueWidth)}  ${meaning}`,
  );
  const heading = fileVariables
    ? 'Environment (unset or empty takes the default; NAME_FILE=/path reads NAME from a file):'
    : 'Environment:';
  return [heading, ...lines, '', 'Every variable is explained in docs/configuration.md.', ''].join(
    '\n',
  );
}

/** Everything `bin --help` prints: usage, what it does, options, and its variables. */
export function helpText(bin: BinName): string {
  const { usage, about, fileVariables } = DESCRIPTIONS[bin];
  return `usage: ${usage}

${about}

Options:
${COMMON_OPTIONS}

${environmentSection(bin, fileVariables)}`;
}
