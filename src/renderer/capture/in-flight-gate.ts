/**
 * At most one frame on its way to the engine. While one is out, newer camera frames are dropped at the
 * source instead of queueing behind a busy engine, so the preview lags by one frame, never by a backlog.
 * A frame the engine never answers (dropped before its models loaded, lost in a restart) frees the gate
 * after `staleAfterMs`.
 */
export class InFlightGate {
  private since: number | null = null;

  constructor(private readonly staleAfterMs: number) {}

  /** True when a frame may go now; the caller then owns the slot until release(). */
  tryAcquire(now: number): boolean {
    if (this.since !== null && now - this.since < this.staleAfterMs) return false;
    this.since = now;
    return true;
  }

  release(): void {
    this.since = null;
  }

  get busy(): boolean {
    return this.since !== null;
  }
}
