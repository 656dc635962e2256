// The calls the service answers, independent of gRPC: each method's request and reply, tied
// together by type so that an answer to one method can never be sent as another's.

/** A decoded call, of any method: tagged by `method`; 64-bit values stay bigint. */
type AnyCalcRequest =
  | { readonly method: 'Add'; readonly a: bigint; readonly b: bigint }
  | { readonly method: 'Max'; readonly a: bigint; readonly b: bigint }
  | { readonly method: 'NthPrimes'; readonly n: readonly bigint[] }
  | { readonly method: 'PrimePi'; readonly x: readonly bigint[] };

/** The answer to a call, before encoding, tagged by the method it answers. */
type AnyCalcReply =
  | { readonly method: 'Add'; readonly sum: bigint }
  | { readonly method: 'Max'; readonly max: bigint }
  | { readonly method: 'NthPrimes'; readonly nthPrimes: readonly bigint[] }
  | { readonly method: 'PrimePi'; readonly pi: readonly bigint[] };

export type CalcMethod = AnyCalcRequest['method'];

/** A decoded call of method M (of any method by default). */
export type CalcRequest<M extends CalcMethod = CalcMethod> = Extract<AnyCalcRequest, { method: M }>;

/** The answer to a call of method M: an answer to M can only be M's reply. */
export type CalcReply<M extends CalcMethod = CalcMethod> = Extract<AnyCalcReply, { method: M }>;

/** Every method, in the order metrics and messages list them. */
export const CALC_METHODS: readonly CalcMethod[] = ['Add', 'Max', 'NthPrimes', 'PrimePi'];

/** An RPC of calc.Calc: its name in the contract, how it streams, and the method it answers. */
export interface CalcRpc {
  readonly rpc: string;
  readonly rpcType: 'unary' | 'server_stream';
  readonly method: CalcMethod;
}

/** Every RPC of calc.Calc (a Watch RPC answers its method, with its progress on the way). */
export const CALC_RPCS: readonly CalcRpc[] = [
  { rpc: 'Add', rpcType: 'unary', method: 'Add' },
  { rpc: 'Max', rpcType: 'unary', method: 'Max' },
  { rpc: 'NthPrimes', rpcType: 'unary', method: 'NthPrimes' },
  { rpc: 'WatchNthPrimes', rpcType: 'server_stream', method: 'NthPrimes' },
  { rpc: 'PrimePi', rpcType: 'unary', method: 'PrimePi' },
  { rpc: 'WatchPrimePi', rpcType: 'server_stream', method: 'PrimePi' },
];
