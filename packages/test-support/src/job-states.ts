/** Every state a BullMQ job can be in, for counting what a queue holds. */
export const EVERY_JOB_STATE = [
  'waiting',
  'waiting-children',
  'active',
  'delayed',
  'prioritized',
  'paused',
  'completed',
  'failed',
] as const;

/** One of them. */
export type JobState = (typeof EVERY_JOB_STATE)[number];
