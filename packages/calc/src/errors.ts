/** Base class of every error the calc core throws on bad input. */
export abstract class CalcError extends Error {
  override name = 'CalcError';
}

/** The input is malformed: not an integer, or zero where a positive index is required. */
export class InvalidArgumentError extends CalcError {
  override name = 'InvalidArgumentError';
}

/** The input is well formed but outside the range this core computes. */
export class OutOfRangeError extends CalcError {
  override name = 'OutOfRangeError';
}

/** An int64 result would not fit in int64. */
export class OverflowError extends OutOfRangeError {
  override name = 'OverflowError';
  constructor(
    readonly operation: string,
    readonly operands: readonly bigint[],
  ) {
    super(`${operation}(${operands.join(', ')}) overflows int64`);
  }
}
