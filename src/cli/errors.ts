/**
 * The CLI's failures, kept apart from the modules that raise them so that main can recognise them
 * without loading the engine (and its native inference library) for --help or a typo.
 */

/** A mistake in the command line: exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command that could not be done: exit status 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Stopped by Ctrl-C or SIGTERM: exit status 130. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}
