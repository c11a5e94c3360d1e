import { statSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

/**
 * The one way the app opens an ONNX model. onnxruntime-node does not fall back by itself: asking for CUDA
 * where its libraries are missing throws, and some GPU failures only show on the first run. So each
 * candidate provider gets a session AND a warm-up run, and the first that survives both is kept; CPU is
 * always the last candidate. What runs, and why the others did not, is reported to the caller.
 */

export interface ProviderFailure {
  provider: string;
  reason: string;
}

/** The model file itself could not be loaded (missing, unreadable, not ONNX), on any provider. */
export class ModelLoadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly failures: readonly ProviderFailure[] = [],
  ) {
    super(`cannot load model ${path}: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/**
 * Preferred providers per platform, best first. On Linux CUDA comes before TensorRT because TensorRT
 * builds an engine at every session start (seconds to minutes, no cache through onnxruntime-node's
 * options); TensorRT is still tried when the CUDA provider alone fails to load.
 */
const PREFERENCE: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: ['cuda', 'tensorrt', 'webgpu'],
  win32: ['dml', 'webgpu'],
  darwin: ['coreml', 'webgpu'],
};

/**
 * Providers to try, in order, ending with 'cpu'. `available` is what this onnxruntime build offers
 * (ort.listSupportedBackends()); without it, the platform's whole preference list is returned.
 */
export function providerCandidates(platform: NodeJS.Platform, available?: readonly string[]): string[] {
  const preferred = (PREFERENCE[platform] ?? ['webgpu']).filter((p) => available === undefined || available.includes(p));
  return [...preferred, 'cpu'];
}

export type Warmup = (session: ort.InferenceSession) => Promise<void>;

export interface OrtSessionOptions {
  /** Intra-op threads; onnxruntime picks when absent. */
  threads?: number;
  /** Providers to try in this order instead of the platform's; 'cpu' is appended when missing. */
  providers?: readonly string[];
  /** The first inference, run on each candidate before it is accepted. Defaults to zeros of every input. */
  warmup?: Warmup;
  /** Creates sessions; replaced in tests to simulate a provider that fails. */
  create?: (path: string, options: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession>;
}

export interface OrtSession {
  session: ort.InferenceSession;
  /** The provider that created the session and ran the warm-up. */
  provider: string;
  /** True when a preferred provider failed and a later one is used. */
  fellBack: boolean;
  failures: ProviderFailure[];
}

/** Symbolic dimensions get this size in the default warm-up; a multiple of 32 fits most conv strides. */
const WARMUP_DYNAMIC_SIZE = 32;

/** Runs every float32 input once with zeros, which is where CUDA and WebGPU kernels first get compiled. */
export const zeroWarmup: Warmup = async (session) => {
  const feeds: Record<string, ort.Tensor> = {};
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor || meta.type !== 'float32') continue;
    const dims = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : WARMUP_DYNAMIC_SIZE));
    feeds[meta.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  await session.run(feeds);
};

function message(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // onnxruntime appends native log lines and ANSI colours; the first line carries the cause.
  return text.split('\n')[0].replace(/\x1b\[[0-9;]*m/g, '').trim();
}

/**
 * Providers whose session could not even be created in this process (missing CUDA libraries, no WebGPU
 * adapter): that does not change while the process lives, so later models skip them at once instead of
 * paying for the attempt (about a second for WebGPU) and its native error output again.
 */
const unusable = new Map<string, string>();

export async function createOrtSession(modelPath: string, opts: OrtSessionOptions = {}): Promise<OrtSession> {
  try {
    if (!statSync(modelPath).isFile()) throw new ModelLoadError(modelPath, 'it is not a file');
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(modelPath, 'the file does not exist or cannot be read');
  }
  const create = opts.create ?? ((path, options) => ort.InferenceSession.create(path, options));
  const warmup = opts.warmup ?? zeroWarmup;
  const requested = opts.providers ?? providerCandidates(process.platform, ort.listSupportedBackends().map((b) => b.name));
  const candidates = requested.includes('cpu') ? [...requested] : [...requested, 'cpu'];
  const failures: ProviderFailure[] = [];
  for (const provider of candidates) {
    const known = unusable.get(provider);
    if (known !== undefined && !opts.create) {
      failures.push({ provider, reason: known });
      continue;
    }
    let session: ort.InferenceSession;
    try {
      session = await create(modelPath, {
        executionProviders: [provider],
        // onnxruntime-node rejects an explicit undefined, so the key is only present when set.
        ...(opts.threads === undefined ? {} : { intraOpNumThreads: opts.threads }),
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // A GPU provider that cannot load is expected on most machines and reported through `failures`;
        // onnxruntime's own error lines for it would only alarm. CPU keeps the default level.
        ...(provider === 'cpu' ? {} : { logSeverityLevel: 4 as const }),
      });
    } catch (error) {
      const reason = `session creation failed: ${message(error)}`;
      failures.push({ provider, reason });
      if (provider !== 'cpu' && !opts.create) unusable.set(provider, reason);
      continue;
    }
    try {
      await warmup(session);
    } catch (error) {
      failures.push({ provider, reason: `first run failed: ${message(error)}` });
      await session.release().catch(() => undefined);
      continue;
    }
    return { session, provider, fellBack: failures.length > 0, failures };
  }
  // CPU cannot be missing, so when even CPU fails the model file is what is wrong.
  const cpu = failures.find((f) => f.provider === 'cpu');
  throw new ModelLoadError(modelPath, cpu?.reason ?? 'no provider could load it', failures);
}
