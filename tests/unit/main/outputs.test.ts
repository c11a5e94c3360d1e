import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDLE_OUTPUTS_STATUS, type OutputsRequest } from '../../../src/common/contract';
import { evenCrop } from '../../../src/outputs/reconciler';
import { AppOutputs, OutputActionError, type AppOutputsDeps } from '../../../src/main/outputs';
import { StreamCredentials, encryptedStreamStore, safeStorageCipher, type SafeStorageLike } from '../../../src/main/stream-key';
import { MemorySecretStore } from '../../../src/outputs/streamer/secrets';
import { describeRecording, describeStream, describeVirtualCamera, formatBytes, formatElapsed } from '../../../src/renderer/components/outputs-format';

/** A reversible stand-in for safeStorage: enough to prove only ciphertext reaches the disk. */
function rot13Storage(backend = 'gnome_libsecret'): SafeStorageLike {
  const rot = (s: string) => s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65)));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => Buffer.from(`enc:${rot(plain)}`),
    decryptString: (buf) => rot(buf.toString().slice(4)),
    getSelectedStorageBackend: () => backend,
  };
}

function setup(overrides: Partial<AppOutputsDeps> = {}) {
  const sent: OutputsRequest[] = [];
  const credentials = new StreamCredentials(new MemorySecretStore());
  const deps: AppOutputsDeps = {
    send: (r) => sent.push(r),
    chooseDevice: () => '/dev/video7',
    advice: () => ({ available: true, message: 'ready', command: null, explanation: null }),
    canCreateDevice: false,
    createDevice: async () => undefined,
    recordingsFolder: '/home/u/Videos',
    makeFolder: () => undefined,
    exists: () => false,
    now: () => new Date(2025, 2, 7, 14, 5, 9),
    credentials,
    ...overrides,
  };
  return { outputs: new AppOutputs(deps), sent, credentials };
}

describe('AppOutputs', () => {
  it('sends the whole wanted set each time, with a timestamped recording in the videos folder', async () => {
    const { outputs, sent } = setup();
    await outputs.setVirtualCamera(true);
    outputs.setMicrophone({ kind: 'pulse', device: 'alsa_input.usb' });
    await outputs.startRecording();
    expect(sent.at(-1)).toEqual({
      type: 'outputs',
      virtualCamera: { device: '/dev/video7' },
      recording: { path: '/home/u/Videos/Backdrop 2025-03-07 14-05-09.mp4', microphone: { kind: 'pulse', device: 'alsa_input.usb' } },
      stream: null,
    });
    expect(outputs.state()).toEqual({ virtualCamera: 'on', recording: true, streaming: false });
    await outputs.stopRecording();
    expect(sent.at(-1)?.recording).toBeNull();
    expect(sent.at(-1)?.virtualCamera).toEqual({ device: '/dev/video7' });
  });

  it('explains a missing loopback device instead of sending anything', async () => {
    const { outputs, sent } = setup({
      chooseDevice: () => new Error('No virtual camera device exists.'),
      advice: () => ({ available: false, message: 'No virtual camera device exists.', command: 'sudo modprobe v4l2loopback', explanation: 'why' }),
    });
    await expect(outputs.setVirtualCamera(true)).rejects.toThrow(OutputActionError);
    expect(sent).toEqual([]);
    expect(outputs.state().virtualCamera).toBe('unavailable');
  });

  it('refuses to stream without a URL, and streams the URL joined with the saved key', async () => {
    const { outputs, sent, credentials } = setup();
    await expect(outputs.startStreaming()).rejects.toThrow(/cannot stream: enter the URL/);
    await credentials.save('rtmp://127.0.0.1/live', 'secret-key');
    await outputs.startStreaming();
    expect(sent.at(-1)?.stream).toEqual({ url: 'rtmp://127.0.0.1/live/secret-key', microphone: { kind: 'none' } });
    const view = await outputs.view();
    expect(view.streamUrl).toBe('rtmp://127.0.0.1/live');
    expect(JSON.stringify(view)).not.toContain('secret-key');
  });

  it('forgets a recording the engine reports failed, and does not restart one after an engine crash', async () => {
    const { outputs, sent } = setup();
    await outputs.startRecording();
    const path = sent.at(-1)?.recording?.path ?? null;
    outputs.noteStatus({ ...IDLE_OUTPUTS_STATUS, recording: { ...IDLE_OUTPUTS_STATUS.recording, state: 'failed', path, error: 'disk full' } });
    expect(outputs.state().recording).toBe(false);

    await outputs.startRecording();
    await outputs.setVirtualCamera(true);
    outputs.engineRestarted();
    expect(sent.at(-1)).toMatchObject({ virtualCamera: { device: '/dev/video7' }, recording: null });
    expect((await outputs.view()).status.recording.error).toMatch(/engine crashed/);
  });
});

describe('stream credentials', () => {
  it('stores URL and key encrypted on disk, never in plain text', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'backdrop-key-')), 'stream-secrets.json');
    const creds = new StreamCredentials(encryptedStreamStore(file, safeStorageCipher(rot13Storage(), 'linux')));
    await creds.save('rtmp://example.com/live', 'abcdef');
    expect(readFileSync(file, 'utf8')).not.toContain('abcdef');
    expect(readFileSync(file, 'utf8')).not.toContain('example.com');
    const again = new StreamCredentials(encryptedStreamStore(file, safeStorageCipher(rot13Storage(), 'linux')));
    expect((await again.target()).url).toBe('rtmp://example.com/live/abcdef');
    await again.save('rtmp://example.com/live', null);
    expect(await again.key()).toBe('abcdef');
  });

  it("treats Linux's basic_text backend as no encryption: kept in memory, with the reason", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'backdrop-key-')), 'stream-secrets.json');
    const creds = new StreamCredentials(encryptedStreamStore(file, safeStorageCipher(rot13Storage('basic_text'), 'linux')));
    await creds.save('rtmp://example.com/live', 'abcdef');
    expect(creds.notSavedReason).toMatch(/no keyring/);
    expect(() => readFileSync(file)).toThrow();
    expect(await creds.key()).toBe('abcdef');
  });

  it('rejects a bad URL before storing anything', async () => {
    const creds = new StreamCredentials(new MemorySecretStore());
    await expect(creds.save('http://example.com/live', 'k')).rejects.toThrow(/http:\/\/ is not supported/);
    expect(await creds.url()).toBe('');
  });
});

describe('evenCrop', () => {
  it('drops the last column and row of a 3x3 image, keeping the top-left 2x2', () => {
    const data = new Uint8Array(3 * 3 * 4).map((_, i) => i);
    const out = evenCrop({ width: 3, height: 3, data }, { width: 2, height: 2 });
    expect(Array.from(out.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

describe('outputs panel text', () => {
  it('formats elapsed time, sizes and live recording figures', () => {
    expect(formatElapsed(75.4)).toBe('1:15');
    expect(formatElapsed(3723)).toBe('1:02:03');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(describeRecording({ ...IDLE_OUTPUTS_STATUS.recording, state: 'recording', elapsedSec: 12, bytes: 3_400_000, bitrateKbps: 2240.4, dropped: 2 })).toBe(
      '0:12 · 3.4 MB · 2240 kb/s · 2 dropped',
    );
  });

  it('says when the virtual camera is idle (no app has it open), on, off or failed', () => {
    const v = { ...IDLE_OUTPUTS_STATUS.virtualCamera, device: '/dev/video10' };
    expect(describeVirtualCamera({ ...v, state: 'idle' }, true)).toBe('Idle · no app is using /dev/video10');
    expect(describeVirtualCamera({ ...v, state: 'on' }, true)).toBe('On · /dev/video10');
    expect(describeVirtualCamera({ ...v, state: 'off' }, true)).toBe('Off · never mirrored');
    expect(describeVirtualCamera({ ...v, state: 'off' }, false)).toBe('Not set up yet');
    expect(describeVirtualCamera({ ...v, state: 'failed', error: 'busy' }, true)).toBe('Failed: busy');
  });

  it('says when the stream is reconnecting, and in how long', () => {
    const s = { ...IDLE_OUTPUTS_STATUS.stream, state: 'reconnecting' as const, attempt: 3, retryInMs: 4000, error: 'the server closed the connection' };
    expect(describeStream(s)).toBe('Connection lost: the server closed the connection. Reconnecting in 4.0 s (attempt 3).');
  });
});
