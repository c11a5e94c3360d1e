import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CommandError } from './errors';

/**
 * Checked before any work starts: the output's folder exists, and an existing file is only replaced
 * with --force (refused and said otherwise, as ffmpeg's -n does).
 */
export async function checkOutputFile(output: string, force: boolean, flag = '--output'): Promise<void> {
  const folder = dirname(resolve(output));
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new CommandError(`cannot write ${output}: folder ${folder} does not exist; create it first or pick another ${flag}`);
  const existing = await stat(output).catch(() => null);
  if (existing?.isDirectory()) throw new CommandError(`cannot write ${output}: it is a folder; give ${flag} a file name`);
  if (existing && !force) throw new CommandError(`${output} already exists; pass --force to overwrite it, or pick another ${flag}`);
}
