import { parseCli, type CliCommand } from './args';
import { CommandError, Interrupted, UsageError } from './errors';
import { formatSummary, type ProgressStream } from './progress';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Messages reach the user as one line, whatever a library put into them. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

async function dispatch(command: CliCommand, io: CliIo, signal: AbortSignal): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(`${command.text}\n`);
      return EXIT.ok;
    case 'render': {
      // Loaded on demand: the engine brings the native inference library, which --help does not need.
      const { render } = await import('./render');
      const summary = await render(command.options, io.stderr, signal);
      for (const line of formatSummary(summary)) io.stderr.write(`${line}\n`);
      return EXIT.ok;
    }
    case 'run': {
      const { runCommand } = await import('./run');
      return runCommand(command.options, io, signal);
    }
    case 'matte': {
      const { matte } = await import('./matte');
      const line = await matte(command.options);
      io.stderr.write(`${line}\n`);
      return EXIT.ok;
    }
  }
}

/** Runs one CLI invocation and returns its exit status; Ctrl-C stops it cleanly, removing partial output. */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    return await dispatch(parseCli(argv), io, controller.signal);
  } catch (error) {
    if (error instanceof Interrupted) {
      io.stderr.write('backdrop: interrupted; no output written\n');
      return EXIT.interrupted;
    }
    const usage = error instanceof UsageError;
    const known = usage || error instanceof CommandError;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`backdrop: ${known ? '' : 'internal error: '}${oneLine(message)}\n`);
    return usage ? EXIT.usage : EXIT.failed;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}
