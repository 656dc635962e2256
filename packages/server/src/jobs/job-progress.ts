import { partsOf } from './batch-plan.js';
import { ProgressFeed } from './progress-feed.js';

/**
 * The progress feeds of the jobs this replica waits for, kept until each result settles: none
 * done of the plan's parts once the jobs are added, then the flows' progress events (a flow's
 * parent counts its chunks done, see reportFlowProgress), then every part once the answer is in,
 * as the embedded transport reports them.
 */
export class JobProgress {
  private readonly feeds = new Map<string, ProgressFeed>();

  /** The feed of job id, created on first use and dropped once `result` settles. */
  feedOf(id: string, result: Promise<bigint>): ProgressFeed {
    let feed = this.feeds.get(id);
    if (feed === undefined) {
      const created = new ProgressFeed();
      this.feeds.set(id, created);
      const forget = (): void => {
        if (this.feeds.get(id) === created) this.feeds.delete(id);
      };
      result.then(() => {
        const total = created.last?.[1] ?? 1;
        created.report(total, total);
        forget();
      }, forget);
      feed = created;
    }
    return feed;
  }

  /** This replica added job id, planned in `parts` parts: none of them is done yet. */
  planned(id: string, parts: number): void {
    const feed = this.feeds.get(id);
    if (feed !== undefined && feed.last === undefined) feed.report(0, parts);
  }

  /** A flow's parent reported `done` of its `chunks` done: in parts, as the plan counts them. */
  relay(id: string, progress: unknown): void {
    const { done, total } = (progress ?? {}) as { done?: unknown; total?: unknown };
    if (typeof done === 'number' && typeof total === 'number') {
      this.feeds.get(id)?.report(done, partsOf(total));
    }
  }
}
