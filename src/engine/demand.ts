/**
 * Whether anything would use a composite: the preview on screen, an output with a reader, a recording.
 * The engine cannot see those consumers, so its host says through `wanted`, and calls `recheck` whenever
 * one may have come or gone. While nothing wants frames the engine computes none.
 */
export class FrameDemand {
  private last: boolean;
  private readonly listeners = new Set<(wanted: boolean) => void>();

  constructor(private readonly wanted: () => boolean) {
    this.last = wanted();
  }

  get now(): boolean {
    return this.wanted();
  }

  recheck(): void {
    const wanted = this.wanted();
    if (wanted === this.last) return;
    this.last = wanted;
    for (const listener of this.listeners) listener(wanted);
  }

  /** Hears each turn between wanted and not; returns the way to stop hearing. */
  onChange(listener: (wanted: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
