/**
 * A mistake in how calcli was invoked (an unknown option, a malformed address,
 * an invalid `-e` command). It exits with code 2, like other Unix tools.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
