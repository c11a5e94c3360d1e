import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { exitError, FfmpegError, StderrReader, type FfmpegProgress } from './progress';

export interface FfmpegChildOptions {
  ffmpegPath: string;
  args: string[];
  /** Frames go in on stdin (an encoder or a live sink). */
  input?: boolean;
  /** Frames come out on stdout, each exactly this many bytes (a decoder). */
  outputFrameBytes?: number;
  /** A second output on descriptor 3 (`pipe:3`), read through `extraOutput`. */
  extraOutput?: boolean;
  onProgress?(progress: FfmpegProgress): void;
  /** Each meaningful stderr line as ffmpeg prints it, for a process that reports failures and runs on. */
  onLine?(line: string): void;
  /** Aborting kills ffmpeg at once; a file it was writing is left unfinished. */
  signal?: AbortSignal;
}

/**
 * One supervised ffmpeg process. Its stderr is always read (an unread stderr pipe that fills up stalls
 * ffmpeg) and turned into progress and, on failure, an FfmpegError carrying ffmpeg's own explanation.
 */
export class FfmpegChild {
  /** Frames `offer` dropped because the pipe was still full. */
  dropped = 0;
  private readonly child: ChildProcess;
  private readonly stderr: StderrReader;
  private readonly closed: Promise<FfmpegError | null>;
  /** Rejects once the process is gone; raced against 'drain' so a dead ffmpeg cannot hang a writer. */
  private readonly gone: Promise<never>;
  private result: FfmpegError | null | undefined;
  private killedByUs = false;

  private constructor(private readonly options: FfmpegChildOptions) {
    this.stderr = new StderrReader(options.onLine);
    this.child = spawn(options.ffmpegPath, options.args, {
      stdio: [options.input ? 'pipe' : 'ignore', options.outputFrameBytes ? 'pipe' : 'ignore', 'pipe', ...(options.extraOutput ? ['pipe' as const] : [])],
      windowsHide: true,
      // Its own process group: a Ctrl-C or SIGTERM sent to the terminal's group reaches only the app,
      // which then stops each ffmpeg itself (a recording is finalised) instead of ffmpeg dying mid-file
      // with code 255. If the app dies, ffmpeg still ends: its stdin or stdout pipe closes.
      detached: process.platform !== 'win32',
    });
    // EPIPE on stdin when ffmpeg exits early says nothing useful; the exit status and stderr do.
    this.child.stdin?.on('error', () => {});
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.report(this.stderr.push(chunk)));
    this.closed = new Promise((resolve) => {
      const settle = (error: FfmpegError | null) => {
        if (this.result !== undefined) return;
        this.result = error;
        resolve(error);
      };
      this.child.once('error', (error) => settle(new FfmpegError(`could not run ${options.ffmpegPath}: ${error.message}`, null, null)));
      this.child.once('close', (code, signal) => {
        this.report(this.stderr.end());
        settle(this.killedByUs ? new FfmpegError('ffmpeg was stopped before it finished', code, signal, [...this.stderr.tail]) : exitError(code, signal, this.stderr));
      });
    });
    this.gone = this.closed.then((error) => Promise.reject(error ?? new FfmpegError('ffmpeg stopped reading its input', 0, null)));
    this.gone.catch(() => {});
    if (options.signal) {
      if (options.signal.aborted) this.kill();
      else options.signal.addEventListener('abort', () => this.kill(), { once: true });
    }
  }

  static start(options: FfmpegChildOptions): FfmpegChild {
    return new FfmpegChild(options);
  }

  get running(): boolean {
    return this.result === undefined;
  }

  /** The process id; undefined when it could not be started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** What ffmpeg writes to `pipe:3` (extraOutput); it must be read or destroyed, or ffmpeg stalls once the pipe is full. */
  get extraOutput(): Readable | null {
    return (this.child.stdio[3] as Readable | null | undefined) ?? null;
  }

  /**
   * Relaying a byte stream: nothing is dropped and nothing waits (the source must never stall). Returns
   * how many bytes now wait to go into the pipe, for the caller to bound.
   */
  relay(bytes: Uint8Array): number {
    const stdin = this.stdin();
    if (this.running) stdin.write(bytes);
    return stdin.writableLength;
  }

  /**
   * Offline writing: every frame gets in, and the caller waits while the pipe is full. The buffer belongs
   * to the pipe afterwards; do not reuse it.
   */
  async write(frame: Uint8Array): Promise<void> {
    const stdin = this.stdin();
    if (!this.running) throw await this.failure();
    if (stdin.write(frame)) return;
    try {
      await Promise.race([once(stdin, 'drain'), this.gone]);
    } catch {
      throw await this.failure();
    }
  }

  /**
   * Live writing: a frame that arrives while the pipe is still full is dropped and counted, so a slow
   * consumer never holds up the camera. Returns whether the frame was taken.
   */
  offer(frame: Uint8Array): boolean {
    const stdin = this.stdin();
    if (!this.running || stdin.writableNeedDrain) {
      this.dropped++;
      return false;
    }
    stdin.write(frame);
    return true;
  }

  /** stdout cut into frames; each yielded buffer is fresh and the consumer's to keep. */
  async *frames(): AsyncGenerator<Uint8Array> {
    const size = this.options.outputFrameBytes;
    const stdout = this.child.stdout as Readable | null;
    if (!size || !stdout) throw new Error('this ffmpeg was started without outputFrameBytes');
    let frame = new Uint8Array(size);
    let filled = 0;
    // Iterated by hand so that a consumer who stops early gets ffmpeg killed *before* its stdout is
    // destroyed: the other way round, ffmpeg could die of the closed pipe first and report an error of its own.
    const chunks = (stdout as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    try {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        const chunk = next.value;
        let offset = 0;
        while (offset < chunk.length) {
          const n = Math.min(size - filled, chunk.length - offset);
          frame.set(chunk.subarray(offset, offset + n), filled);
          filled += n;
          offset += n;
          if (filled === size) {
            yield frame;
            frame = new Uint8Array(size);
            filled = 0;
          }
        }
      }
      const error = await this.closed;
      if (error) throw error;
      if (filled > 0) throw new FfmpegError(`ffmpeg's output ended mid-frame (${filled} of ${size} bytes)`, 0, null);
    } finally {
      // The consumer stopped early (enough frames, or its own failure): nobody reads ffmpeg any more.
      if (this.running) this.kill();
      await chunks.return?.();
    }
  }

  /** Clean stop: close stdin so ffmpeg finalises its output, wait for it, and throw if it failed. */
  async finish(): Promise<void> {
    this.child.stdin?.end();
    const error = await this.closed;
    if (error) throw error;
  }

  /** Stops ffmpeg now; whatever it was writing stays unfinished. */
  kill(): void {
    if (!this.running) return;
    this.killedByUs = true;
    this.child.kill('SIGKILL');
  }

  /** Resolves when ffmpeg has exited, with its error or null. Never rejects. */
  exited(): Promise<FfmpegError | null> {
    return this.closed;
  }

  private stdin(): Writable {
    const stdin = this.child.stdin;
    if (!stdin) throw new Error('this ffmpeg was started without input');
    return stdin;
  }

  private async failure(): Promise<FfmpegError> {
    return (await this.closed) ?? new FfmpegError('ffmpeg stopped reading its input', 0, null);
  }

  private report(progress: FfmpegProgress[]): void {
    if (this.options.onProgress) for (const p of progress) this.options.onProgress(p);
  }
}
