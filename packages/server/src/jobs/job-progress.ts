import { partsOf } from './batch-plan.js';
import { ProgressFeed } from './progress-feed.js';

/**
 * The progress feeds of the jobs this replica waits for, fed by the flows' progress events
 * (a flow's parent counts its chunks done, see reportFlowProgress) and kept until each result
 * settles.
 */
export class JobProgress {
  private readonly feeds = new Map<string, ProgressFeed>();

  /** The feed of job id, created on first use and dropped once `result` settles. */
  feedOf(id: string, result: Promise<number>): ProgressFeed {
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      const created = new ProgressFeed();
      this.feeds.set(id, created);
      const forget = (): void => {
        if (this.feeds.get(id) === created) this.feeds.delete(id);
      };
      result.then(forget, forget);
      feed = created;
    }
    return feed;
  }

  /** A flow's parent reported `done` of its `chunks` done: in parts, as the plan counts them. */
  relay(id: string, progress: unknown): void {
    const { done, total } = (progress ?? {}) as { done?: unknown; total?: unknown };
    if (typeof done === 'number' && typeof total === 'number') {
      this.feeds.get(id)?.report(done, partsOf(total));
    }
  }
}
