// Chooses the TensorFlow.js backend once at start: native TensorFlow (GPU, then CPU) when its
// optional package is installed, else wasm (threaded + SIMD when possible), else pure-JS cpu.
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installNodeWasmThreadSupport } from './node-wasm-threads';
import { registerMissingKernels } from '../kernels/register-wasm-kernels';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export type BackendKind = 'tensorflow-gpu' | 'tensorflow-cpu' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs backend name (`tensorflow`, `wasm`, `cpu`). */
  name: string;
  kind: BackendKind;
  threads: number;
  simd: boolean;
}

export interface SelectBackendOptions {
  /** Threads for wasm (XNNPACK pool); defaults to the number of CPU cores. */
  threads?: number;
}

type Log = (message: string) => void;

// Backends initialised in this process, by name: re-selecting one only switches to it.
const initialised = new Map<string, BackendInfo>();

async function tryTensorflow(pkg: string, kind: BackendKind, log: Log): Promise<BackendInfo | undefined> {
  try {
    await import(/* @vite-ignore */ pkg);
    if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend returned false');
    await tf.ready();
    return { name: 'tensorflow', kind, threads: os.cpus().length, simd: true };
  } catch (err) {
    log(`backend: ${pkg} unavailable (${(err as Error).message.split('\n')[0]})`);
    return undefined;
  }
}

async function initWasm(threads: number): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
  if (threads > 1) {
    installNodeWasmThreadSupport();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  } else {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  wasm.setThreadsCount(threads);
  // The wasm core sizes its pool as min(requested, logicalCores / 2) (it assumes hyper-
  // threading); report enough cores while it initialises so the requested count is honoured.
  const realCpus = os.cpus;
  const cores = realCpus();
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => cores[i % cores.length]!);
  try {
    return await tf.setBackend('wasm');
  } finally {
    (os as { cpus: typeof os.cpus }).cpus = realCpus;
  }
}

async function tryWasm(threads: number, log: Log): Promise<BackendInfo | undefined> {
  try {
    let ok = await initWasm(threads).catch((err: Error) => {
      log(`backend: threaded wasm failed (${err.message}); retrying single-threaded`);
      return false;
    });
    // A failed backend factory stays registered, so a retry re-runs the init single-threaded.
    if (!ok && threads > 1) ok = await initWasm(1);
    if (!ok) throw new Error('setBackend returned false');
    await tf.ready();
    registerMissingKernels('wasm');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return { name: 'wasm', kind: 'wasm', threads: wasm.getThreadsCount(), simd };
  } catch (err) {
    log(`backend: wasm unavailable (${(err as Error).message})`);
    return undefined;
  }
}

/** Activates the best available backend for `preference`, falling through on failure; idempotent. */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  log: Log = () => undefined,
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  const known = preference === 'auto'
    ? (initialised.get('tensorflow') ?? initialised.get('wasm'))
    : initialised.get(preference);
  if (known) {
    await tf.setBackend(known.name);
    return known;
  }
  const threads = Math.max(1, options.threads ?? os.cpus().length);
  let info: BackendInfo | undefined;
  if (preference === 'auto' || preference === 'tensorflow') {
    info = (await tryTensorflow('@tensorflow/tfjs-node-gpu', 'tensorflow-gpu', log))
      ?? (await tryTensorflow('@tensorflow/tfjs-node', 'tensorflow-cpu', log));
  }
  if (!info && preference !== 'cpu') info = await tryWasm(threads, log);
  if (!info) {
    await tf.setBackend('cpu');
    await tf.ready();
    info = { name: 'cpu', kind: 'cpu', threads: 1, simd: false };
  }
  log(`backend: ${info.kind} (threads ${info.threads}, simd ${info.simd})`);
  initialised.set(info.name, info);
  return info;
}
