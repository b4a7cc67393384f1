/**
 * The types that tie an RPC client and server to one API interface: `A` maps method names to
 * functions (what the server implements, what the client may call), `E` maps event names to the
 * data the server emits.
 */
export type RpcArgs<F> = F extends (...args: infer P) => unknown ? P : never;
export type RpcResult<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** What a server implements for API `A`: the same methods, sync or async. */
export type RpcHandlers<A> = {
  [K in keyof A]: (...args: RpcArgs<A[K]>) => RpcResult<A[K]> | Promise<RpcResult<A[K]>>;
};

export type RpcMethod<A> = keyof A & string;
