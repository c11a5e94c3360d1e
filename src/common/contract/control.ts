/** Control: whoever starts an engine -> the engine's own process or thread (never a page's port). */
import { OutputsRequest, parseOutputsRequest } from './outputs';
import { ContractError, isRecord } from './parse';

/** Main -> engine process, on the utility process's parent port: serve the port sent along, or run these outputs. */
export type ToEngineProcess = { type: 'connect' } | OutputsRequest;

export function parseToEngineProcess(x: unknown): ToEngineProcess {
  if (isRecord(x) && x.type === 'connect') return { type: 'connect' };
  if (isRecord(x) && x.type === 'outputs') return parseOutputsRequest(x);
  throw new ContractError("engine process control must be { type: 'connect' } or { type: 'outputs', ... }");
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
