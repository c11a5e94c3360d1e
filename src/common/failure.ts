import type { EngineError, ErrorCode } from './contract';

/** An engine error with a contract code, so every front door (UI, CLI) can say what went wrong. */
export class EngineFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }

  static from(error: unknown): EngineFailure {
    if (error instanceof EngineFailure) return error;
    const message = error instanceof Error ? error.message : String(error);
    const code: ErrorCode = error instanceof Error && error.name === 'FrameError' ? 'bad-frame' : 'internal';
    return new EngineFailure(code, message);
  }

  toContract(): EngineError {
    return { code: this.code, message: this.message };
  }
}
