// Password guessing against the dashboard from many source addresses: every 127.0.0.0/8
// address routes to the loopback interface on Linux, so a client bound to 127.0.0.7 is, to the
// dashboard, another machine. No header is forged: the dashboard trusts no proxy.
import http from 'node:http';

/** How one request was answered. */
export interface Answer {
  readonly status: number;
  /** Retry-After in seconds, when given. */
  readonly retryAfter: number | undefined;
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A client of the dashboard at 127.0.0.1:port whose connections come from `localAddress`. */
export class SourceAddress {
  private readonly agent: http.Agent;

  constructor(
    readonly localAddress: string,
    private readonly port: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  get(path: string, authorization?: string, method = 'GET'): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method,
          localAddress: this.localAddress,
          agent: this.agent,
          headers: authorization === undefined ? {} : { authorization },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
            });
          });
        },
      );
      request.on('error', reject);
      request.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** What a guessing run got: answers by status, and the guesses that were checked (401). */
export interface GuessReport {
  readonly lanes: number;
  readonly requests: number;
  readonly byStatus: Record<string, number>;
  /** Wrong passwords the dashboards checked: the guesses that counted. */
  readonly checked: number;
  readonly longestRetryAfter: number;
}

/**
 * Each lane (a source address and a dashboard port) sends wrong passwords for `user`, one
 * after another with `pauseMs` between them, until `durationMs` has passed.
 */
export async function guess(
  lanes: readonly SourceAddress[],
  user: string,
  options: { durationMs: number; pauseMs: number },
): Promise<GuessReport> {
  const until = performance.now() + options.durationMs;
  const byStatus: Record<string, number> = {};
  let requests = 0;
  let longestRetryAfter = 0;
  let guessNumber = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (performance.now() < until) {
        const answer = await lane.get('/api/queues', basic(user, `guess-${guessNumber++}`));
        requests += 1;
        byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
        longestRetryAfter = Math.max(longestRetryAfter, answer.retryAfter ?? 0);
        await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
      }
    }),
  );
  return {
    lanes: lanes.length,
    requests,
    byStatus,
    checked: byStatus['401'] ?? 0,
    longestRetryAfter,
  };
}
