import { spawn, type ChildProcess } from 'node:child_process';
import { REPO } from './env';

export interface RendererServer {
  /** The page URL with the bridge port and token. */
  url: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Another models folder (one without the matting model forces the segmentation-only fallback). */
  models?: string;
  /** A folder whose pictures and videos the gallery lists as the user's own. */
  backgrounds?: string;
}

/** Runs scripts/serve-renderer.ts (engine worker + bridge + built renderer) and waits for its URL. */
export async function startRendererServer(options: ServerOptions = {}): Promise<RendererServer> {
  const args = ['--import', 'tsx', 'scripts/serve-renderer.ts', '--threads', '1'];
  if (options.models) args.push('--models', options.models);
  if (options.backgrounds) args.push('--backgrounds', options.backgrounds);
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve-renderer printed no URL in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Backdrop renderer: (http:\/\/127\.0\.0\.1:\d+\/\?ws=\d+&token=[0-9a-f]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve-renderer exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
