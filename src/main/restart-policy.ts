/**
 * When to restart a crashed engine: at once the first time, then backing off, and not at all once it
 * has crashed too often in a short window (a model that kills the process on load would otherwise spin
 * a core forever). Pure, so main's engine-process.ts only keeps the crash times.
 */

export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  /** Crashes older than this no longer count. */
  windowMs: number;
  /** This many crashes inside the window and the engine stays down. */
  maxCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { firstDelayMs: 250, maxDelayMs: 8000, windowMs: 60_000, maxCrashes: 5 };

/** ms to wait before the next start, or null to give up. `crashes` are times in ms, the latest included. */
export function restartDelay(crashes: readonly number[], now: number, policy = DEFAULT_RESTART_POLICY): number | null {
  const recent = crashes.filter((t) => now - t < policy.windowMs).length;
  if (recent >= policy.maxCrashes) return null;
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, recent - 1));
}
