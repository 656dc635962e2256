import type { BoardHooks } from '@bull-board/api/typings/app';
import { type BoardJob, withSummary } from './job-summary.js';

/** bull-board's routes whose answers carry jobs: the queue list (with a page of jobs) and a job. */
const QUEUES_ROUTE = '/api/queues';
const JOB_ROUTE = '/api/queues/:queueName/:jobId';
const UPDATE_DATA_ROUTE = '/api/queues/:queueName/:jobId/update-data';

/** A JSON object, as far as it is read here. */
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * bull-board's handler hooks for prime jobs. `after` puts a summary first in each job's
 * data as the board sends it (job-summary.ts): a formatter cannot, since bull-board hands the
 * `data` formatter the data alone, without the job's times and result. Nothing in Redis
 * changes. `before` refuses edits of job data: the API wrote the plan the workers and the
 * combine check, and the editor would start from the summary view.
 */
export function primeBoardHooks(now: () => number = Date.now): BoardHooks {
  return {
    before: ({ route }) =>
      route === UPDATE_DATA_ROUTE
        ? {
            allow: false,
            status: 405,
            message: 'prime job data is the API plan: it cannot be edited',
          }
        : undefined,
    after: ({ method, route }, result) => {
      const body: unknown = result.body;
      if (method !== 'get' || !isObject(body)) return result;
      const at = now();
      const summarized = (job: unknown): unknown =>
        isObject(job) ? withSummary(job as Json & BoardJob, at) : job;
      if (route === JOB_ROUTE && isObject(body.job)) {
        return { ...result, body: { ...body, job: summarized(body.job) } };
      }
      if (route === QUEUES_ROUTE && Array.isArray(body.queues)) {
        const queues = body.queues.map((queue: unknown) =>
          isObject(queue) && Array.isArray(queue.jobs)
            ? { ...queue, jobs: queue.jobs.map(summarized) }
            : queue,
        );
        return { ...result, body: { ...body, queues } };
      }
      return result;
    },
  };
}
