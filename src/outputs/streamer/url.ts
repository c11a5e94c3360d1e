/**
 * Checks the URL and key the user typed and joins them into what ffmpeg publishes to. Pure. The key is
 * a secret: `redacted` is what the UI and logs show, and `secrets` lists the strings to scrub from
 * anything ffmpeg prints (it echoes the URL in its errors).
 */

export type StreamProtocol = 'rtmp' | 'rtmps' | 'srt';

export interface StreamTarget {
  protocol: StreamProtocol;
  /** The full URL including the key. Never show or log it. */
  url: string;
  redacted: string;
  /** Container ffmpeg writes: FLV for RTMP, MPEG-TS for SRT. */
  muxer: 'flv' | 'mpegts';
  secrets: string[];
}

export type StreamUrlProblem = 'empty' | 'malformed' | 'unsupported-protocol' | 'no-host' | 'no-port' | 'no-app' | 'no-key' | 'bad-key' | 'listener-mode';

export class StreamUrlError extends Error {
  constructor(
    readonly problem: StreamUrlProblem,
    message: string,
  ) {
    super(message);
    this.name = 'StreamUrlError';
  }
}

const HIDDEN = '••••';
const SRT_SECRET_PARAMS = ['streamid', 'passphrase'];

/** An RTMP key becomes a path segment, so "/", "?" and "#" would change the URL; an SRT streamid is a parameter value. */
function checkKey(key: string, inPath: boolean): void {
  if (/\s/.test(key)) throw new StreamUrlError('bad-key', 'the stream key contains spaces; copy it again from your streaming service');
  if (inPath && /[/?#]/.test(key)) throw new StreamUrlError('bad-key', 'the stream key contains "/", "?" or "#"; paste only the key, not a URL');
  if (key.length > 512) throw new StreamUrlError('bad-key', 'the stream key is longer than 512 characters; it is probably not a key');
}

function rtmpTarget(url: URL, protocol: 'rtmp' | 'rtmps', key: string | undefined): StreamTarget {
  const segments = url.pathname.split('/').filter((s) => s.length > 0);
  if (segments.length === 0) {
    throw new StreamUrlError('no-app', `an ${protocol.toUpperCase()} URL names an application after the host, e.g. ${protocol}://${url.host}/live`);
  }
  const base = `${protocol}://${url.host}/${segments.join('/')}`;
  if (key !== undefined && key.length > 0) {
    checkKey(key, true);
    return { protocol, url: `${base}/${key}${url.search}`, redacted: `${base}/${HIDDEN}`, muxer: 'flv', secrets: [key] };
  }
  if (segments.length < 2) {
    throw new StreamUrlError('no-key', `no stream key: enter the key from your streaming service, or add it to the URL (${base}/<key>)`);
  }
  const embedded = segments.at(-1) as string;
  return {
    protocol,
    url: `${base}${url.search}`,
    redacted: `${protocol}://${url.host}/${segments.slice(0, -1).join('/')}/${HIDDEN}`,
    muxer: 'flv',
    secrets: [embedded],
  };
}

function srtTarget(url: URL, key: string | undefined): StreamTarget {
  if (!url.port) throw new StreamUrlError('no-port', `an SRT URL needs a port, e.g. srt://${url.hostname}:9000`);
  const params = url.searchParams;
  const mode = params.get('mode');
  if (mode === 'listener') {
    throw new StreamUrlError('listener-mode', 'mode=listener would make Backdrop wait for the server to call it; use mode=caller (the default) to send to a server');
  }
  if (key !== undefined && key.length > 0) {
    checkKey(key, false);
    params.set('streamid', key);
  }
  const values = SRT_SECRET_PARAMS.map((p) => params.get(p)).filter((v): v is string => v !== null && v.length > 0);
  // ffmpeg echoes the URL percent-encoded, so both spellings of a secret are scrubbed.
  const secrets = [...new Set(values.flatMap((v) => [v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2)]))];
  const redactedParams = new URLSearchParams(params);
  for (const p of SRT_SECRET_PARAMS) if (redactedParams.has(p)) redactedParams.set(p, HIDDEN);
  // Values stay percent-encoded for ffmpeg (its SRT protocol decodes streamid itself); the shown form is decoded.
  const query = (p: URLSearchParams, decode: boolean) => (p.size === 0 ? '' : `?${decode ? decodeURIComponent(p.toString()) : p.toString()}`);
  return {
    protocol: 'srt',
    url: `srt://${url.host}${query(params, false)}`,
    redacted: `srt://${url.host}${query(redactedParams, true)}`,
    muxer: 'mpegts',
    secrets,
  };
}

/** The user's URL and (optional, separately kept) key -> what to publish to, or a specific error. */
export function parseStreamTarget(input: string, key?: string): StreamTarget {
  const text = input.trim();
  if (text.length === 0) throw new StreamUrlError('empty', 'enter the URL of your streaming service (it starts with rtmp://, rtmps:// or srt://)');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) throw new StreamUrlError('malformed', `"${text}" is not a URL; it should look like rtmp://live.example.com/app`);
  if (scheme !== 'rtmp' && scheme !== 'rtmps' && scheme !== 'srt') {
    throw new StreamUrlError('unsupported-protocol', `${scheme}:// is not supported for streaming; use the rtmp://, rtmps:// or srt:// URL your service gives`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StreamUrlError('malformed', `"${text}" is not a valid URL (check the host name and port)`);
  }
  if (!url.hostname) throw new StreamUrlError('no-host', `the URL has no server name: ${text}`);
  const trimmedKey = key?.trim();
  return scheme === 'srt' ? srtTarget(url, trimmedKey) : rtmpTarget(url, scheme, trimmedKey);
}

/** Removes every secret from text ffmpeg printed, so errors can be shown and logged. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join(HIDDEN);
  return out;
}
