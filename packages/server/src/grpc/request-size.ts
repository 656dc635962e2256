// The largest request body the server reads, from MAX_BATCH: grpc-js checks a message's length
// prefix against it before buffering a byte of the body, so a batch too large to be valid is
// refused RESOURCE_EXHAUSTED at once, not after megabytes were held in memory and decoded.

/**
 * The most bytes one n can take in a valid NthPrimesRequest (`repeated uint64 n = 1`): a
 * varint is at most 10 bytes, and a parser must accept every n in a packed record of its own
 * (tag and length, 1 byte each), which is the costliest encoding; unpacked is 11.
 */
const MAX_BYTES_PER_N = 12;

/** Room for the server's other requests: health, reflection, Add and Max are far smaller. */
const SMALLEST_LIMIT_BYTES = 16 * 1024;

/** grpc.max_receive_message_length for a server that takes at most `maxBatch` n per call. */
export function maxRequestBytes(maxBatch: number): number {
  return Math.max(SMALLEST_LIMIT_BYTES, MAX_BYTES_PER_N * maxBatch);
}
