import { redact } from './url';

/** Why a stream stopped, from what ffmpeg printed, in words the user can act on. Pure. */

export type StreamErrorCode = 'unreachable' | 'rejected' | 'disconnected' | 'encoder-failed' | 'failed';

export class StreamError extends Error {
  constructor(
    readonly code: StreamErrorCode,
    message: string,
    /** Whether trying again can help: a wrong key will not fix itself, a dropped connection may. */
    readonly retryable: boolean,
    /** ffmpeg's words, with the key removed. */
    readonly detail: string = '',
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

export interface StreamFailureContext {
  lines: readonly string[];
  /** Whether ffmpeg had started sending (it reported progress) before it failed. */
  wasLive: boolean;
  redactedUrl: string;
  secrets: readonly string[];
}

/** SRT's caller reports a listener that never answered only as "Connection to srt://... failed". */
const UNREACHABLE = /Connection to \S+ failed|Connection refused|Failed to resolve hostname|Name or service not known|No route to host|Network is unreachable|Connection timed out|timed out|Operation timed out/i;
const DROPPED = /Broken pipe|Connection reset by peer|End of file|Connection aborted/i;

export function classifyStreamFailure(ctx: StreamFailureContext): StreamError {
  const lines = ctx.lines.map((l) => redact(l, ctx.secrets));
  const detail = lines.join('\n');
  const server = lines.map((l) => /Server error: (.*)$/.exec(l)?.[1]).find((m) => m !== undefined);
  if (server !== undefined) {
    return new StreamError('rejected', `The server refused the stream: ${server.replace(/\.$/, '')}. Check the stream key.`, false, detail);
  }
  if (/Unknown encoder|Error (while opening|initializing) (encoder|output stream)/i.test(detail)) {
    return new StreamError('encoder-failed', `The stream's encoder could not start: ${lines.at(-1)}`, false, detail);
  }
  if (UNREACHABLE.test(detail)) {
    const how = /resolve|Name or service/i.test(detail) ? 'its name does not resolve' : /refused/i.test(detail) ? 'it refused the connection' : 'it did not answer';
    return new StreamError('unreachable', `Cannot reach ${ctx.redactedUrl}: ${how}. Reconnecting.`, true, detail);
  }
  if (ctx.wasLive || DROPPED.test(detail)) {
    return new StreamError('disconnected', `The connection to ${ctx.redactedUrl} dropped. Reconnecting.`, true, detail);
  }
  if (/Input\/output error/i.test(detail)) {
    // The server took the connection and closed it when asked to publish: nginx-rtmp's on_publish, and
    // services that check the key, answer a bad key exactly like this.
    return new StreamError(
      'rejected',
      `${ctx.redactedUrl} closed the connection when Backdrop asked to publish: the stream key is probably wrong, or a stream with this key is already live.`,
      false,
      detail,
    );
  }
  return new StreamError('failed', `The stream to ${ctx.redactedUrl} stopped: ${lines.at(-1) ?? 'no reason given'}`, true, detail);
}
