import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { nativeLogsWanted } from '../../common/native-logs';

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

/** What a provider needs before onnxruntime is asked for it: names of files and facts about the machine. */
export interface ProviderEnvironment {
  platform: NodeJS.Platform;
  /** The files beside onnxruntime-node's native binding, where it looks for provider libraries. */
  bindingFiles: ReadonlySet<string>;
  /** A Vulkan driver is installed (Dawn, WebGPU's engine on Linux, runs on Vulkan). */
  vulkanDriver: boolean;
}

/** onnxruntime-node's install script downloads these (skipped by this project's install); without them the provider cannot load. */
const PROVIDER_LIBRARIES: Partial<Record<NodeJS.Platform, Record<string, string[]>>> = {
  linux: {
    cuda: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
    tensorrt: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_tensorrt.so'],
  },
  win32: {
    cuda: ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll'],
    tensorrt: ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_tensorrt.dll'],
  },
};

/**
 * Why a provider cannot work here, found without asking onnxruntime (whose failed attempts print native
 * errors); null when it is worth trying.
 */
export function providerUnavailable(provider: string, env: ProviderEnvironment): string | null {
  const libraries = PROVIDER_LIBRARIES[env.platform]?.[provider];
  if (libraries && !libraries.every((name) => env.bindingFiles.has(name))) return 'libraries not installed';
  if (provider === 'webgpu' && env.platform === 'linux' && !env.vulkanDriver) return 'no Vulkan driver';
  return null;
}

/** The folders the Vulkan loader reads driver manifests from on Linux (its documented search order). */
export function vulkanDriverDirs(env: NodeJS.ProcessEnv, home: string): string[] {
  const configHome = env.XDG_CONFIG_HOME || join(home, '.config');
  const dataHome = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const dataDirs = (env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':');
  return [configHome, ...configDirs, '/usr/local/etc', '/etc', dataHome, ...dataDirs].filter((d) => d.length > 0).map((d) => join(d, 'vulkan', 'icd.d'));
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the Vulkan loader would find a driver manifest; `list` and `present` read the disk. */
export function hasVulkanDriver(
  env: NodeJS.ProcessEnv,
  home: string,
  list: (dir: string) => string[] = filesIn,
  present: (path: string) => boolean = exists,
): boolean {
  const named = (value: string | undefined) => (value ?? '').split(':').some((p) => p.length > 0 && present(p));
  // Drivers named outright replace the search; added ones join it.
  const only = env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES;
  if (only) return named(only);
  return named(env.VK_ADD_DRIVER_FILES) || vulkanDriverDirs(env, home).some((dir) => list(dir).some((name) => name.endsWith('.json')));
}

function systemProviderEnvironment(): ProviderEnvironment {
  const binding = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin', 'napi-v6', process.platform, process.arch);
  return {
    platform: process.platform,
    bindingFiles: new Set(filesIn(binding)),
    vulkanDriver: process.platform === 'linux' && hasVulkanDriver(process.env, homedir()),
  };
}

const PROVIDER_NAMES: Record<string, string> = { cuda: 'CUDA', tensorrt: 'TensorRT', webgpu: 'WebGPU', dml: 'DirectML', coreml: 'CoreML', cpu: 'CPU' };

/**
 * One plain line of what runs and why the others did not: "cpu (CUDA, TensorRT: libraries not
 * installed; WebGPU: no Vulkan driver)". Providers that failed for the same reason share it.
 */
export function describeProviders(provider: string, failures: readonly ProviderFailure[]): string {
  const byReason = new Map<string, string[]>();
  for (const f of failures) {
    const name = PROVIDER_NAMES[f.provider] ?? f.provider;
    const names = byReason.get(f.reason) ?? [];
    if (!names.includes(name)) names.push(name);
    byReason.set(f.reason, names);
  }
  const why = [...byReason].map(([reason, names]) => `${names.join(', ')}: ${reason}`).join('; ');
  return why ? `${provider} (${why})` : provider;
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
  /** What providers need from the machine; read from it when absent. */
  environment?: ProviderEnvironment;
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
  const verbose = nativeLogsWanted();
  // The process-wide logger is set up by the first session; provider libraries that fail to load log
  // there, not to the session's logger. Failures still reach the caller as errors, with their cause.
  ort.env.logLevel = verbose ? 'warning' : 'fatal';
  const environment = opts.environment ?? systemProviderEnvironment();
  const create = opts.create ?? ((path, options) => ort.InferenceSession.create(path, options));
  const warmup = opts.warmup ?? zeroWarmup;
  const requested = opts.providers ?? providerCandidates(process.platform, ort.listSupportedBackends().map((b) => b.name));
  const candidates = requested.includes('cpu') ? [...requested] : [...requested, 'cpu'];
  const failures: ProviderFailure[] = [];
  for (const provider of candidates) {
    const missing = providerUnavailable(provider, environment);
    if (missing !== null) {
      failures.push({ provider, reason: missing });
      continue;
    }
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
        // A provider that cannot load is expected on most machines and reported through `failures`;
        // onnxruntime's own error lines for it would only alarm.
        logSeverityLevel: verbose ? 2 : 4,
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
