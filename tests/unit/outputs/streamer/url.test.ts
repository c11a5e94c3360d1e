import { describe, expect, it } from 'vitest';
import { parseStreamTarget, redact, StreamUrlError } from '../../../../src/outputs/streamer/url';

function problem(url: string, key?: string): string {
  try {
    parseStreamTarget(url, key);
  } catch (error) {
    if (error instanceof StreamUrlError) return error.problem;
    throw error;
  }
  return 'accepted';
}

describe('parseStreamTarget', () => {
  it('joins an RTMP server URL and a separately kept key, and hides the key', () => {
    expect(parseStreamTarget(' rtmp://live.example.com/app ', 'abc-123')).toEqual({
      protocol: 'rtmp',
      url: 'rtmp://live.example.com/app/abc-123',
      redacted: 'rtmp://live.example.com/app/••••',
      muxer: 'flv',
      secrets: ['abc-123'],
    });
  });

  it('takes a key already in the URL, for RTMPS too', () => {
    expect(parseStreamTarget('rtmps://a.rtmp.youtube.com:443/live2/xxxx-yyyy')).toMatchObject({
      protocol: 'rtmps',
      url: 'rtmps://a.rtmp.youtube.com:443/live2/xxxx-yyyy',
      redacted: 'rtmps://a.rtmp.youtube.com:443/live2/••••',
      secrets: ['xxxx-yyyy'],
    });
  });

  it('puts an SRT key in streamid, keeps other parameters, and hides streamid and passphrase', () => {
    const t = parseStreamTarget('srt://ingest.example.com:9000?latency=200000&passphrase=hunter22hunter', 'key/1');
    // The key's "/" is refused for RTMP but fine for SRT, where it is percent-encoded in a parameter.
    expect(t).toMatchObject({ protocol: 'srt', muxer: 'mpegts' });
    expect(t.url).toBe('srt://ingest.example.com:9000?latency=200000&passphrase=hunter22hunter&streamid=key%2F1');
    expect(t.redacted).toBe('srt://ingest.example.com:9000?latency=200000&passphrase=••••&streamid=••••');
    expect(t.secrets).toEqual(expect.arrayContaining(['hunter22hunter', 'key/1', 'key%2F1']));
  });

  it('names what is wrong with a bad URL or key', () => {
    expect(problem('')).toBe('empty');
    expect(problem('live.example.com/app')).toBe('malformed');
    expect(problem('http://example.com/live')).toBe('unsupported-protocol');
    expect(problem('rtsp://example.com/live')).toBe('unsupported-protocol');
    expect(problem('rtmp://exa mple.com/app', 'k')).toBe('malformed');
    expect(problem('rtmp://example.com', 'k')).toBe('no-app');
    expect(problem('rtmp://example.com/app')).toBe('no-key');
    expect(problem('rtmp://example.com/app', 'two words')).toBe('bad-key');
    expect(problem('rtmp://example.com/app', 'rtmp://example.com/app/key')).toBe('bad-key');
    expect(problem('srt://example.com', 'k')).toBe('no-port');
    expect(problem('srt://example.com:9000?mode=listener', 'k')).toBe('listener-mode');
  });

  it('explains in the message, not just the code', () => {
    expect(() => parseStreamTarget('https://youtube.com/live')).toThrow('https:// is not supported for streaming; use the rtmp://, rtmps:// or srt:// URL your service gives');
  });
});

describe('redact', () => {
  it('removes every occurrence of every secret', () => {
    expect(redact('rtmp://h/app/sk: Broken pipe (sk)', ['sk'])).toBe('rtmp://h/app/••••: Broken pipe (••••)');
    expect(redact('nothing here', [''])).toBe('nothing here');
  });
});
