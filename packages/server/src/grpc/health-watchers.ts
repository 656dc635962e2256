// Who is watching which grpc.health.v1 service, bounded: a name is held only while a stream
// watches it, and one connection may hold only so many watch streams. grpc-health-check's own
// implementation kept a set for every name ever watched and any number of streams, so a client
// without credentials could grow the API's memory for as long as it liked.

/** Sends one status to one watcher. */
export type StatusSender = (status: string) => void;

/** A watch that was admitted: stop() forgets it (idempotent). */
export interface Watch {
  stop(): void;
}

/**
 * The live watch streams. Streams on a known service are kept to be told its changes; streams
 * on an unknown name are only counted against their connection (the set of services is fixed,
 * so nothing will ever be sent to them).
 */
export class HealthWatchers {
  private readonly byService = new Map<string, Set<StatusSender>>();
  private readonly byConnection = new Map<string, number>();

  constructor(private readonly maxPerConnection: number) {}

  /**
   * Admits a watch of `service` from `connection` (the peer address: one per connection), or
   * returns undefined when that connection already holds `maxPerConnection` watches. `send`
   * is undefined for a service that is not known: counted, never kept.
   */
  admit(connection: string, service: string, send: StatusSender | undefined): Watch | undefined {
    const open = this.byConnection.get(connection) ?? 0;
    if (open >= this.maxPerConnection) return undefined;
    this.byConnection.set(connection, open + 1);
    if (send !== undefined) {
      let senders = this.byService.get(service);
      if (senders === undefined) {
        senders = new Set();
        this.byService.set(service, senders);
      }
      senders.add(send);
    }
    let stopped = false;
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        const left = (this.byConnection.get(connection) ?? 1) - 1;
        if (left > 0) this.byConnection.set(connection, left);
        else this.byConnection.delete(connection);
        if (send === undefined) return;
        const senders = this.byService.get(service);
        senders?.delete(send);
        if (senders?.size === 0) this.byService.delete(service);
      },
    };
  }

  /** Tells every watcher of `service` its new status. */
  notify(service: string, status: string): void {
    for (const send of this.byService.get(service) ?? []) send(status);
  }

  /** The most watch streams one connection may hold. */
  get limit(): number {
    return this.maxPerConnection;
  }
}
