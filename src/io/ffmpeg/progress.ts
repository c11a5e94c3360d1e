/** Pure reading of ffmpeg's stderr: progress lines and the line that explains a failure. */

export interface FfmpegProgress {
  frame: number;
  fps: number;
  /** Position in the output, seconds; null while ffmpeg reports N/A. */
  timeSec: number | null;
  /** Multiple of real time; null while ffmpeg reports N/A. */
  speed: number | null;
}

const PROGRESS = /^\s*frame=\s*(\d+)\s+fps=\s*([\d.]+)/;
const TIME = /time=\s*(-?)(\d+):(\d+):(\d+(?:\.\d+)?)/;
const SPEED = /speed=\s*(\d+(?:\.\d+)?)x/;

/** `frame=   19 fps=0.0 q=-0.0 Lsize= 68400kB time=00:00:00.63 bitrate=... speed=5.78x` -> figures. */
export function parseProgressLine(line: string): FfmpegProgress | null {
  const m = PROGRESS.exec(line);
  if (!m) return null;
  const t = TIME.exec(line);
  const s = SPEED.exec(line);
  const timeSec = t ? (t[1] === '-' ? -1 : 1) * (Number(t[2]) * 3600 + Number(t[3]) * 60 + Number(t[4])) : null;
  return { frame: Number(m[1]), fps: Number(m[2]), timeSec, speed: s ? Number(s[1]) : null };
}

/** Lines that ffmpeg prints after every failure; the line before them says what actually went wrong. */
const GENERIC = [/^Conversion failed!$/, /^Exiting normally, received signal \d+\.$/, /^Error initializing output stream /];

export function isMeaningfulLine(line: string): boolean {
  const text = line.trim();
  return text.length > 0 && !PROGRESS.test(text) && !GENERIC.some((re) => re.test(text));
}

const TAIL_LINES = 20;

/**
 * Feeds on stderr chunks as they come. Progress updates end in '\r', other lines in '\n', and a chunk
 * may end mid-line, so the unfinished part waits for the next chunk.
 */
export class StderrReader {
  private pending = '';
  private readonly lines: string[] = [];

  /** `onLine` hears each meaningful line as it comes: what a process that runs on reports mid-way. */
  constructor(private readonly onLine?: (line: string) => void) {}

  push(chunk: string): FfmpegProgress[] {
    const parts = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    return this.take(parts);
  }

  /** Takes the unterminated remainder (ffmpeg's final line may lack a newline). */
  end(): FfmpegProgress[] {
    const rest = this.pending;
    this.pending = '';
    return this.take([rest]);
  }

  /** The last few meaningful lines, oldest first. */
  get tail(): readonly string[] {
    return this.lines;
  }

  get lastMeaningful(): string | null {
    return this.lines.at(-1) ?? null;
  }

  private take(parts: string[]): FfmpegProgress[] {
    const progress: FfmpegProgress[] = [];
    for (const part of parts) {
      const p = parseProgressLine(part);
      if (p) progress.push(p);
      else if (isMeaningfulLine(part)) {
        const line = part.trim();
        this.lines.push(line);
        if (this.lines.length > TAIL_LINES) this.lines.shift();
        this.onLine?.(line);
      }
    }
    return progress;
  }
}

/** ffmpeg failed: it could not start, exited non-zero, or was killed. */
export class FfmpegError extends Error {
  constructor(
    /** ffmpeg's own explanation (its last meaningful stderr line), or why it could not run. */
    readonly detail: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: readonly string[] = [],
  ) {
    super(detail);
    this.name = 'FfmpegError';
  }
}

/** The error for a finished process, or null when it succeeded. */
export function exitError(code: number | null, signal: NodeJS.Signals | null, stderr: StderrReader): FfmpegError | null {
  if (code === 0) return null;
  const how = signal ? `ffmpeg was killed by ${signal}` : `ffmpeg exited with code ${code}`;
  const detail = stderr.lastMeaningful ?? how;
  return new FfmpegError(detail, code, signal, [...stderr.tail]);
}
