import { describe, expect, it } from 'vitest';
import { classifyStreamFailure } from '../../../../src/outputs/streamer/errors';

const ctx = (lines: string[], wasLive = false) => ({ lines, wasLive, redactedUrl: 'rtmp://127.0.0.1:1935/live/••••', secrets: ['sekrit'] });

describe('classifyStreamFailure', () => {
  it('a refused connection or an unknown host is unreachable and worth retrying', () => {
    const refused = classifyStreamFailure(ctx(['[tcp @ 0x1] Connection to tcp://127.0.0.1:1935?tcp_nodelay=0 failed: Connection refused', 'rtmp://127.0.0.1:1935/live/sekrit: Connection refused']));
    expect([refused.code, refused.retryable]).toEqual(['unreachable', true]);
    expect(refused.message).toBe('Cannot reach rtmp://127.0.0.1:1935/live/••••: it refused the connection. Reconnecting.');
    expect(refused.detail).not.toContain('sekrit');
    expect(classifyStreamFailure(ctx(['[tcp @ 0x1] Failed to resolve hostname nowhere.invalid: Name or service not known'])).message).toMatch(/does not resolve/);
    expect(classifyStreamFailure(ctx(['[srt @ 0x1] Connection to srt://127.0.0.1:9000?mode=caller failed: Input/output error'])).code).toBe('unreachable');
  });

  it('a connection that breaks while live is a drop, retried', () => {
    const e = classifyStreamFailure(ctx(['av_interleaved_write_frame(): Broken pipe', 'Error writing trailer of rtmp://127.0.0.1:1935/live/sekrit: Broken pipe'], true));
    expect([e.code, e.retryable]).toEqual(['disconnected', true]);
  });

  it('a server that closes the connection when asked to publish has refused the key: no retry', () => {
    const e = classifyStreamFailure(ctx(['rtmp://127.0.0.1:1935/live/sekrit: Input/output error']));
    expect([e.code, e.retryable]).toEqual(['rejected', false]);
    expect(e.message).toMatch(/stream key is probably wrong/);
    const said = classifyStreamFailure(ctx(['[rtmp @ 0x1] Server error: Authentication failed.']));
    expect(said.message).toBe('The server refused the stream: Authentication failed. Check the stream key.');
  });

  it('an encoder that cannot start is not retried', () => {
    expect(classifyStreamFailure(ctx(["Unknown encoder 'h264_videotoolbox'"])).retryable).toBe(false);
  });
});
