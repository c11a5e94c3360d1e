/** Control: whoever starts an engine -> the engine's own process or thread (never a page's port). */
import { OutputsRequest, parseOutputsRequest } from './outputs';
import { ContractError, isRecord } from './parse';

/**
 * Main -> engine process, on the utility process's parent port: serve the port sent along, run these
 * outputs, or whether the preview is on screen (a hidden window's preview is nobody's consumer).
 */
export type ToEngineProcess = { type: 'connect' } | OutputsRequest | { type: 'preview'; shown: boolean };

export function parseToEngineProcess(x: unknown): ToEngineProcess {
  if (isRecord(x) && x.type === 'connect') return { type: 'connect' };
  if (isRecord(x) && x.type === 'outputs') return parseOutputsRequest(x);
  if (isRecord(x) && x.type === 'preview' && typeof x.shown === 'boolean') return { type: 'preview', shown: x.shown };
  throw new ContractError("engine process control must be { type: 'connect' }, { type: 'outputs', ... } or { type: 'preview', shown }");
}

/** Spawner -> engine worker thread: serve the contract on this port (a worker_threads MessagePort). */
export interface ToEngineWorker<Port> {
  type: 'connect';
  port: Port;
}

export function parseToEngineWorker<Port>(x: unknown, isPort: (p: unknown) => p is Port): ToEngineWorker<Port> {
  if (!isRecord(x) || x.type !== 'connect' || !isPort(x.port)) throw new ContractError("engine worker control must be { type: 'connect', port }");
  return { type: 'connect', port: x.port };
}
