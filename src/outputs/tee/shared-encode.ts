import type { RgbaImage } from '../../frame';
import { locateFfmpeg } from '../../io/ffmpeg/locate';
import { FfmpegError, type FfmpegProgress } from '../../io/ffmpeg/progress';
import { FfmpegChild } from '../../io/ffmpeg/supervisor';
import { slatedSink, type FrameSink, type LiveFfmpegSink, type LiveSinkStats } from '../live-sink';
import { partialPathFor } from '../recorder/paths';
import { checkRecordingPath, liveEncodeFields, Recorder, type RecorderOptions } from '../recorder/recorder';
import { Streamer, streamEncoder, type SharedStreamSource, type StreamerOptions } from '../streamer/streamer';
import { pausedSlate } from '../v4l2/slate';
import { RECORDING_SLAVE, relayArgs, sharedEncodeArgs, STREAM_SLAVE } from './args';
import { parseTeeFailure } from './failures';

export type SharedEncodeOptions = RecorderOptions & Omit<StreamerOptions, 'shared'>;

/**
 * What the relay may hold for a server that takes nothing. Its own 10 s write timeout normally ends it
 * first, but a connection still being set up has none; beyond this it is given up, so memory stays
 * bounded and the encode never waits for the network.
 */
const RELAY_BACKLOG_BYTES = 16 * 1024 * 1024;

type Part = 'recording' | 'stream';

/**
 * A recording and a stream started together: one ffmpeg converts and encodes each frame once (on the
 * CPU, most of what either costs) and writes the recording's file and the stream's FLV (./args.ts).
 * Each side gets a FrameSink of its own, so the Recorder and the Streamer run on it unchanged and keep
 * their own states and figures.
 *
 * The stream's FLV goes through a relay, a second ffmpeg that only copies it to the URL, rather than
 * from the tee to the URL directly: ffmpeg cannot end one tee output on request, so a stream published
 * by the encode itself could only be stopped by stopping the recording with it. Through the relay,
 * stopping the stream is the relay's clean unpublish, and the encode's FLV output then ends on a closed
 * pipe (a failed output, which the tee drops while the recording runs on). A network failure, a refused
 * key or a stalled server likewise end only the relay; the relay holds the connection and never makes
 * the encode wait.
 *
 * The stream's later connections encode on their own (the Streamer's usual path): a new relay could not
 * join the FLV mid-way, without its header. When the recording stops first, the encode must end for the
 * file to be finalised, so the stream moves to an encoder of its own: one short reconnect.
 */
export class SharedEncode implements SharedStreamSource {
  private readonly sink: LiveFfmpegSink;
  private readonly partial: string;
  private lastOffered: RgbaImage | null = null;
  private readonly paused = new Set<Part>();
  private recordingOver = false;
  /** The recording ended the encode on purpose: a stream still on it moves on without an error. */
  private endedByRecording = false;
  private recordingStats: LiveSinkStats | null = null;
  private settleRecording: (error: FfmpegError | null) => void = () => {};
  private readonly recordingExited = new Promise<FfmpegError | null>((resolve) => (this.settleRecording = resolve));
  private attached = false;
  private streamAttached = false;
  private streamFailed: (error: FfmpegError) => void = () => {};

  private constructor(private readonly options: SharedEncodeOptions & { ffmpegPath: string }) {
    this.partial = partialPathFor(options.path);
    this.sink = slatedSink({
      output: options,
      ffmpegPath: options.ffmpegPath,
      args: sharedEncodeArgs({
        partial: this.partial,
        ...liveEncodeFields(options),
        encoder: streamEncoder(options),
      }),
      slate: pausedSlate(options.width, options.height),
      // The take starts with the first composited frame handed over, never with the slate; the stream with it.
      waitForFirstFrame: true,
      extraOutput: true,
      onLine: (line) => this.heard(line),
    });
    void this.sink.exited().then((error) => this.endRecording(error));
  }

  static start(options: SharedEncodeOptions): { recorder: Recorder; streamer: Streamer } {
    checkRecordingPath(options.path);
    const ffmpegPath = options.ffmpegPath ?? locateFfmpeg().path;
    const encode = new SharedEncode({ ...options, ffmpegPath });
    const recorder = Recorder.over(encode.recordingSink(), { ...options, ffmpegPath });
    const streamer = Streamer.start({ ...options, ffmpegPath, shared: encode });
    return { recorder, streamer };
  }

  /** The stream's first connection: the relay, fed from the encode's FLV. Later ones encode on their own. */
  attach(onProgress: (progress: FfmpegProgress) => void): FrameSink | null {
    const flv = this.sink.extraOutput;
    if (this.attached || this.recordingOver || !this.sink.running || !flv) return null;
    this.attached = true;
    this.streamAttached = true;
    const relay = FfmpegChild.start({ ffmpegPath: this.options.ffmpegPath, args: relayArgs(this.options.target), input: true, onProgress });
    let failure: FfmpegError | null = null;
    let sourceEnded = false;
    let frozen: LiveSinkStats | null = null;
    this.streamFailed = (error) => {
      failure ??= error;
      relay.kill();
    };
    flv.on('data', (bytes: Buffer) => {
      if (!this.streamAttached || relay.relay(bytes) <= RELAY_BACKLOG_BYTES) return;
      this.streamFailed(new FfmpegError(`Connection timed out: the server took none of the last ${RELAY_BACKLOG_BYTES >> 20} MB of the stream`, null, null));
    });
    flv.on('error', (error) => this.streamFailed(new FfmpegError(`reading the encoder's stream: ${error.message}`, null, null)));
    flv.once('end', () => {
      sourceEnded = true;
      // The encode ended: the relay sends what it has, unpublishes and exits.
      relay.finish().catch(() => {});
    });
    const detach = () => {
      if (!this.streamAttached) return;
      this.streamAttached = false;
      frozen = this.sink.stats;
      this.resume('stream');
      flv.destroy();
    };
    const exited = relay.exited().then(async (error) => {
      detach();
      if (failure) return failure;
      if (!sourceEnded) return error ?? new FfmpegError('ffmpeg ended the stream', 0, null);
      const encodeError = await this.sink.exited();
      if (this.endedByRecording) return null;
      return encodeError ?? new FfmpegError('the encoder ended the stream', 0, null);
    });
    const encode = this;
    return {
      get running() {
        return relay.running;
      },
      offer: (frame) => this.offer(frame),
      pause: () => this.pause('stream'),
      resume: () => this.resume('stream'),
      get stats() {
        return frozen ?? encode.sink.stats;
      },
      finish: async () => {
        if (this.recordingOver || this.endedByRecording) {
          // Nothing else needs the encode: it ends, and the relay sends the rest of the FLV and unpublishes.
          await this.sink.finish();
        } else {
          // The recording runs on; the relay unpublishes on the end of its input.
          detach();
          await relay.finish().catch(() => {});
        }
        return relay.exited();
      },
      kill: () => relay.kill(),
      exited: () => exited,
    };
  }

  private recordingSink(): FrameSink {
    const encode = this;
    return {
      get running() {
        return encode.sink.running && !encode.recordingOver;
      },
      offer: (frame) => this.offer(frame),
      pause: () => this.pause('recording'),
      resume: () => this.resume('recording'),
      get stats() {
        return encode.recordingStats ?? encode.sink.stats;
      },
      finish: () => {
        this.endedByRecording = true;
        return this.sink.finish();
      },
      kill: () => {
        this.endedByRecording = true;
        this.sink.kill();
      },
      exited: () => this.recordingExited,
    };
  }

  /** Both outputs are handed each composited frame; it is encoded once. */
  private offer(frame: RgbaImage): void {
    if (frame === this.lastOffered) return;
    this.sink.offer(frame);
    this.lastOffered = frame;
  }

  /** One picture for both: while either output is paused both show the slate, so a paused one never shows the camera. */
  private pause(part: Part): void {
    this.paused.add(part);
    this.sink.pause();
  }

  private resume(part: Part): void {
    this.paused.delete(part);
    if (this.paused.size === 0) this.sink.resume();
  }

  private endRecording(error: FfmpegError | null): void {
    if (this.recordingOver) return;
    this.recordingOver = true;
    this.recordingStats = this.sink.stats;
    this.settleRecording(error);
  }

  private heard(line: string): void {
    const failure = parseTeeFailure(line);
    if (failure?.output === RECORDING_SLAVE) {
      // Said as ffmpeg says it of a file written on its own, which the recorder's errors know.
      const said = `file:${this.partial}: ${failure.reason}`;
      this.endRecording(new FfmpegError(said, null, null, [said]));
    } else if (failure?.output === STREAM_SLAVE && this.streamAttached) {
      // Once the relay has let go, the stream's output ending is expected; before, it is the encode's failure.
      this.streamFailed(new FfmpegError(line, null, null, [line]));
    }
  }
}
