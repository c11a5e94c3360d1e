/**
 * Set to 1 (`backdrop --verbose` does) to let native libraries log as they like: onnxruntime's failed
 * attempts to load a provider print bold red lines, which on a machine without a GPU is every start.
 * An environment variable, because the engine may run in a worker thread or a process of its own.
 */
export const VERBOSE_ENV = 'BACKDROP_VERBOSE';

export function nativeLogsWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[VERBOSE_ENV] === '1';
}
