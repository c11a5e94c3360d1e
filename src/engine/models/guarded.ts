import type * as ort from 'onnxruntime-node';

/** What the engine's models use of an onnxruntime session once it is open. */
export type RunnableSession = Pick<ort.InferenceSession, 'run' | 'release'>;

/** A run asked of a session whose release has begun. */
export class SessionReleasedError extends Error {
  constructor() {
    super('the model was released while the engine was stopping');
    this.name = 'SessionReleasedError';
  }
}

/**
 * A session whose release waits for the runs in flight. onnxruntime-node starts a run on a later turn of
 * the event loop (setImmediate), so a release that comes between the call and that turn frees the native
 * session under the run, and the process aborts. Release happens once however often it is asked for;
 * a run asked for after it rejects instead of reaching the freed session.
 */
export class GuardedSession {
  private readonly inFlight = new Set<Promise<unknown>>();
  private released: Promise<void> | null = null;

  constructor(private readonly session: RunnableSession) {}

  run(feeds: ort.InferenceSession.FeedsType): Promise<ort.InferenceSession.ReturnType> {
    if (this.released) return Promise.reject(new SessionReleasedError());
    const running = this.session.run(feeds);
    this.inFlight.add(running);
    const settled = () => this.inFlight.delete(running);
    running.then(settled, settled);
    return running;
  }

  release(): Promise<void> {
    // No run can join the set once release has begun, so these are all it has to wait for.
    this.released ??= Promise.allSettled(this.inFlight).then(() => this.session.release());
    return this.released;
  }
}
