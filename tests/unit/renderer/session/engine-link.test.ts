import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type EngineConfig, type FromEngine, type ToEngine } from '../../../../src/common/contract';
import type { Host } from '../../../../src/renderer/host/host';
import { EngineLink, type EngineNotice } from '../../../../src/renderer/session/engine-link';
import type { EngineTransport } from '../../../../src/renderer/transport/transport';

/** A transport whose engine side the test plays by hand. */
class ScriptedTransport implements EngineTransport {
  sent: ToEngine[] = [];
  private cb: ((m: FromEngine) => void) | null = null;
  send(msg: ToEngine) {
    this.sent.push(msg);
  }
  onMessage(cb: (m: FromEngine) => void) {
    this.cb = cb;
    return () => (this.cb = null);
  }
  close() {
    this.cb = null;
  }
  receive(msg: FromEngine) {
    this.cb?.(msg);
  }
}

function hostWith(connect: (give: (t: EngineTransport, restarted: boolean) => void) => void): Host {
  return {
    kind: 'browser',
    loadSettings: async () => DEFAULT_SETTINGS,
    updateSettings: async () => DEFAULT_SETTINGS,
    listBackgrounds: async () => [],
    onSettingsChanged: () => () => undefined,
    connectEngine: (onTransport) => {
      connect(onTransport);
      return () => undefined;
    },
  };
}

const CONFIG: EngineConfig = { background: { kind: 'blur', strength: 0.5 }, matting: 'off', quality: 'balanced' };
const GREEN = { kind: 'colour', rgb: [0, 255, 0] } as const;

function setup() {
  let give: (t: EngineTransport, restarted: boolean) => void = () => undefined;
  const link = new EngineLink(hostWith((g) => (give = g)), CONFIG);
  const notices: EngineNotice[] = [];
  let settled = 0;
  link.onNotice((n) => notices.push(n));
  link.onFrameSettled(() => settled++);
  link.connect();
  const attach = (restarted = false) => {
    const t = new ScriptedTransport();
    give(t, restarted);
    return t;
  };
  return { link, notices, attach, settled: () => settled };
}

describe('EngineLink', () => {
  it('starts the engine with the config on connect and becomes ready', () => {
    const { link, attach } = setup();
    const t = attach();
    expect(t.sent).toEqual([{ type: 'start', config: CONFIG }]);
    expect(link.current.connection).toBe('connecting');
    t.receive({ type: 'ready', provider: 'cpu' });
    expect(link.current).toMatchObject({ connection: 'ready', provider: 'cpu' });
  });

  it('changes the background only when the engine confirms it', () => {
    const { link, attach } = setup();
    const t = attach();
    link.setBackground(GREEN);
    expect(t.sent.at(-1)).toEqual({ type: 'set-background', background: GREEN });
    expect(link.current.background).toEqual(CONFIG.background);
    t.receive({ type: 'background-changed', background: GREEN });
    expect(link.current.background).toEqual(GREEN);
  });

  it('keeps the previous background when the engine rejects a new one, and says why', () => {
    const { link, attach, notices } = setup();
    const t = attach();
    t.receive({ type: 'background-changed', background: GREEN });
    link.setBackground({ kind: 'image', path: '/missing.png' });
    t.receive({ type: 'error', error: { code: 'background-unreadable', message: 'cannot decode image /missing.png' } });
    expect(link.current.background).toEqual(GREEN);
    expect(notices).toEqual([{ kind: 'error', code: 'background-unreadable', message: 'cannot decode image /missing.png' }]);
  });

  it('restores the confirmed background and modes on a restarted engine and tells the user', () => {
    const { link, attach, notices } = setup();
    const first = attach();
    first.receive({ type: 'background-changed', background: GREEN });
    link.setMatting('light');
    const second = attach(true);
    expect(second.sent).toEqual([{ type: 'start', config: { background: GREEN, matting: 'light', quality: 'balanced' } }]);
    expect(notices.map((n) => n.code)).toEqual(['engine-restarted']);
  });

  it('sends a new people mode and face model once each, picks as they come, and restores both after a restart', () => {
    const { link, attach } = setup();
    const first = attach();
    // A config without the fields means everyone and short range: asking for those again sends nothing.
    link.setPeople('all');
    link.setFaceModel('short');
    link.setPeople('pick');
    link.setPeople('pick');
    link.setFaceModel('full');
    link.setFaceModel('full');
    link.pickPerson({ x: 0.25, y: 0.5 });
    expect(first.sent.slice(1)).toEqual([
      { type: 'set-people', people: 'pick' },
      { type: 'set-face-model', faceModel: 'full' },
      { type: 'pick-person', x: 0.25, y: 0.5 },
    ]);
    link.setPeople('all');
    expect(first.sent.at(-1)).toEqual({ type: 'set-people', people: 'all' });
    link.setPeople('main');
    const second = attach(true);
    expect(second.sent).toEqual([{ type: 'start', config: { ...CONFIG, people: 'main', faceModel: 'full' } }]);
  });

  it('ignores messages from a transport it has replaced', () => {
    const { link, attach } = setup();
    const old = attach();
    attach(true);
    old.receive({ type: 'background-changed', background: GREEN });
    expect(link.current.background).toEqual(CONFIG.background);
  });

  it('lets the next frame go when an output, a ready or a frame error arrives', () => {
    const { attach, settled } = setup();
    const t = attach();
    const afterAttach = settled();
    t.receive({ type: 'output', id: 1, width: 2, height: 2, timestamp: 0, pixels: new ArrayBuffer(16) });
    t.receive({ type: 'error', error: { code: 'bad-frame', message: 'x' } });
    t.receive({ type: 'ready', provider: 'cpu' });
    t.receive({ type: 'error', error: { code: 'background-unreadable', message: 'y' } });
    expect(settled() - afterAttach).toBe(3);
  });

  it('passes outputs to the preview', () => {
    const { link, attach } = setup();
    const outputs: number[] = [];
    link.onOutput((o) => outputs.push(o.id));
    attach().receive({ type: 'output', id: 42, width: 2, height: 2, timestamp: 0, pixels: new ArrayBuffer(16) });
    expect(outputs).toEqual([42]);
  });
});
