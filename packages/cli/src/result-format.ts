/** A server's answer to a calculation, together with what was asked. */
export type CalcResult =
  | { readonly kind: 'add'; readonly a: bigint; readonly b: bigint; readonly sum: bigint }
  | { readonly kind: 'max'; readonly a: bigint; readonly b: bigint; readonly max: bigint }
  | { readonly kind: 'np'; readonly n: readonly bigint[]; readonly nthPrimes: readonly bigint[] }
  | { readonly kind: 'pi'; readonly x: readonly bigint[]; readonly pi: readonly bigint[] };

/** How results are printed: `text` as the REPL shows them (`7`, `3 37`), `json` one object per line. */
export type OutputFormat = 'text' | 'json';

/** The result as one line of plain text: `7`, `3 37`. */
export function formatText(result: CalcResult): string {
  switch (result.kind) {
    case 'add':
      return result.sum.toString();
    case 'max':
      return result.max.toString();
    case 'np':
      return result.nthPrimes.join(' ');
    case 'pi':
      return result.pi.join(' ');
  }
}

/**
 * The result as one JSON object: the command, its request fields and its
 * response fields, named as in the proto. 64-bit values are strings, as in the
 * proto3 JSON mapping, so no precision is lost.
 */
export function formatJson(result: CalcResult, line?: number): string {
  const at = line === undefined ? {} : { line };
  switch (result.kind) {
    case 'add':
      return JSON.stringify({
        ...at,
        command: 'add',
        a: String(result.a),
        b: String(result.b),
        sum: String(result.sum),
      });
    case 'max':
      return JSON.stringify({
        ...at,
        command: 'max',
        a: String(result.a),
        b: String(result.b),
        max: String(result.max),
      });
    case 'np':
      return JSON.stringify({
        ...at,
        command: 'np',
        n: result.n.map(String),
        nthPrimes: result.nthPrimes.map(String),
      });
    case 'pi':
      return JSON.stringify({
        ...at,
        command: 'pi',
        x: result.x.map(String),
        pi: result.pi.map(String),
      });
  }
}

/** Formats a result for the chosen output; in JSON a script's line number comes first. */
export function formatResult(result: CalcResult, format: OutputFormat, line?: number): string {
  return format === 'json' ? formatJson(result, line) : formatText(result);
}

/**
 * A failure as one JSON object: in JSON every input line gets its object on stdout, errors too,
 * so that output zips with input. `code` is a gRPC status name, `USAGE` or `UNKNOWN`; `line` is
 * absent for a mistake in the command line itself.
 */
export function formatJsonError(
  failure: { readonly code: string; readonly message: string },
  line?: number,
): string {
  const { code, message } = failure;
  return JSON.stringify({ ...(line === undefined ? {} : { line }), error: { code, message } });
}
