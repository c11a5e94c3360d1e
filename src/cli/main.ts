import { parseCli, splitVerbose, type CliCommand } from './args';
import { VERBOSE_ENV } from '../common/native-logs';
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
      // Before the engine, though: whatever a glance tells is wrong with the run.
      const { checkRunUpFront } = await import('./run/up-front');
      await checkRunUpFront(command.options);
      // The engine first: its thread boots and loads the models while the rest of the run loads here.
      const { startEngine } = await import('./run/engine-start');
      const started = startEngine(command.options);
      const { runCommand } = await import('./run');
      return runCommand(command.options, io, signal, started);
    }
    case 'cameras': {
      const { formatCameraList, listCameras, SYSTEM_CAMERAS } = await import('./cameras');
      const devices = await listCameras();
      const lines = formatCameraList(devices, SYSTEM_CAMERAS.devDir);
      // None found is a failure a script can test for; the lines then say why and what to do.
      (devices.length > 0 ? io.stdout : io.stderr).write(`${lines.join('\n')}\n`);
      return devices.length > 0 ? EXIT.ok : EXIT.failed;
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
    const { verbose, rest } = splitVerbose(argv);
    if (verbose) process.env[VERBOSE_ENV] = '1';
    return await dispatch(parseCli(rest), io, controller.signal);
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
