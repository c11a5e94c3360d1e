/**
 * The page's side of the engine conversation: sends 'start' with the current config on every new
 * transport (a restarted engine knows nothing), forwards settings changes and frames, and turns what
 * comes back into state for the UI and outputs for the preview.
 *
 * Backgrounds chosen outside the page (tray presets, hotkeys) go out on the same transport as the
 * frames, so the engine has the switch before any frame sent after it.
 */
import type {
  Background,
  EngineConfig,
  EngineError,
  EngineStats,
  FaceModel,
  MattingMode,
  OutputMessage,
  PeopleMode,
  Quality,
  ToEngine,
} from '../../common/contract';
import type { Host } from '../host/host';
import type { EngineTransport } from '../transport/transport';

export interface EngineState {
  connection: 'connecting' | 'ready' | 'lost';
  provider: string | null;
  stats: EngineStats | null;
  /** The background the engine confirmed; a rejected request leaves it unchanged. */
  background: Background;
}

export interface EngineNotice {
  kind: 'error' | 'info';
  code: EngineError['code'] | 'engine-restarted';
  message: string;
}

export class EngineLink {
  private transport: EngineTransport | null = null;
  private disconnect: (() => void) | null = null;
  private stopApplying: (() => void) | null = null;
  private config: EngineConfig;
  private state: EngineState;
  private readonly stateListeners = new Set<(s: EngineState) => void>();
  private readonly outputListeners = new Set<(o: OutputMessage) => void>();
  private readonly noticeListeners = new Set<(n: EngineNotice) => void>();
  /** Called whenever the frame in flight is answered or can no longer be. */
  private readonly settledListeners = new Set<() => void>();

  constructor(
    private readonly host: Host,
    config: EngineConfig,
  ) {
    this.config = config;
    this.state = { connection: 'connecting', provider: null, stats: null, background: config.background };
  }

  get current(): EngineState {
    return this.state;
  }

  connect(): void {
    this.disconnect = this.host.connectEngine((transport, restarted) => this.attach(transport, restarted));
    this.stopApplying = this.host.onApplyBackground?.((background) => this.setBackground(background)) ?? null;
  }

  close(): void {
    this.stopApplying?.();
    this.disconnect?.();
    this.transport = null;
  }

  onState(cb: (s: EngineState) => void): () => void {
    return subscribe(this.stateListeners, cb);
  }
  onOutput(cb: (o: OutputMessage) => void): () => void {
    return subscribe(this.outputListeners, cb);
  }
  onNotice(cb: (n: EngineNotice) => void): () => void {
    return subscribe(this.noticeListeners, cb);
  }
  onFrameSettled(cb: () => void): () => void {
    return subscribe(this.settledListeners, cb);
  }

  /** Asks for a background; the state changes only when the engine confirms it. */
  setBackground(background: Background): void {
    this.send({ type: 'set-background', background });
  }

  setMatting(matting: MattingMode): void {
    this.config = { ...this.config, matting };
    this.send({ type: 'set-matting', matting });
  }

  setQuality(quality: Quality): void {
    this.config = { ...this.config, quality };
    this.send({ type: 'set-quality', quality });
  }

  /** Who stays in the picture; a restarted engine gets it with the rest of the config. */
  setPeople(people: PeopleMode): void {
    if ((this.config.people ?? 'all') === people) return;
    this.config = { ...this.config, people };
    this.send({ type: 'set-people', people });
  }

  setFaceModel(faceModel: FaceModel): void {
    if ((this.config.faceModel ?? 'short') === faceModel) return;
    this.config = { ...this.config, faceModel };
    this.send({ type: 'set-face-model', faceModel });
  }

  /**
   * 'pick' mode: picks or drops the person at a point normalised to the frame. Sent on the frames'
   * transport, so the engine takes it against the frame the user saw, not one from before.
   */
  pickPerson(point: { x: number; y: number }): void {
    this.send({ type: 'pick-person', x: point.x, y: point.y });
  }

  sendFrame(frame: Extract<ToEngine, { type: 'frame' }>): void {
    if (!this.transport) return this.settledListeners.forEach((cb) => cb());
    this.transport.send(frame);
  }

  private send(msg: ToEngine): void {
    this.transport?.send(msg);
  }

  private attach(transport: EngineTransport, restarted: boolean): void {
    this.transport = transport;
    this.update({ connection: 'connecting', stats: null });
    if (restarted) this.notice({ kind: 'info', code: 'engine-restarted', message: 'The engine stopped unexpectedly and was restarted.' });
    transport.onMessage((msg) => {
      if (transport !== this.transport) return;
      switch (msg.type) {
        case 'ready':
          this.update({ connection: 'ready', provider: msg.provider });
          this.settledListeners.forEach((cb) => cb());
          return;
        case 'output':
          this.outputListeners.forEach((cb) => cb(msg));
          this.settledListeners.forEach((cb) => cb());
          return;
        case 'stats':
          this.update({ stats: msg.stats, provider: msg.stats.provider, connection: 'ready' });
          return;
        case 'background-changed':
          this.config = { ...this.config, background: msg.background };
          this.update({ background: msg.background });
          return;
        case 'error':
          if (msg.error.code === 'bad-frame' || msg.error.code === 'internal') this.settledListeners.forEach((cb) => cb());
          this.notice({ kind: 'error', code: msg.error.code, message: msg.error.message });
          return;
        case 'stopped':
          this.update({ connection: 'lost' });
          return;
      }
    });
    // The engine starts from the config last confirmed, so a restart restores the user's background.
    transport.send({ type: 'start', config: this.config });
    this.settledListeners.forEach((cb) => cb());
  }

  private notice(n: EngineNotice): void {
    this.noticeListeners.forEach((cb) => cb(n));
  }

  private update(patch: Partial<EngineState>): void {
    this.state = { ...this.state, ...patch };
    this.stateListeners.forEach((cb) => cb(this.state));
  }
}

function subscribe<T>(set: Set<T>, cb: T): () => void {
  set.add(cb);
  return () => void set.delete(cb);
}
