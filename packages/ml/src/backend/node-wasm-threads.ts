// Makes the threaded wasm build of TensorFlow.js start in Node.js.
// Why: the wasm backend spawns its pthread workers from `blob:` URLs, which Node's
// worker_threads refuses, and the worker script loads the main script from a Blob through a
// synchronous file read. We install a `Worker` on globalThis that accepts those blob URLs:
// it evaluates the blob's text inside an eval-mode worker and turns the Blob the backend
// posts later into text before the Emscripten worker code sees it. Message order is kept by
// a promise chain inside the worker.
import { Worker as NodeWorker } from 'node:worker_threads';
import { resolveObjectURL } from 'node:buffer';

const BOOTSTRAP = `
const { workerData, parentPort } = require('worker_threads');
globalThis.require = require;
globalThis.__filename = '[gansight wasm worker]';
// The bundled factory refers to rollup's names for its Node imports.
Object.assign(globalThis, { require$$0: require('fs'), require$$1: require('path'), require$$2: require('worker_threads'), require$$3: require('perf_hooks'), require$$4: require('os'), commonjsGlobal: globalThis });
const inlineScripts = new Map();
let chain = Promise.resolve();
let handler = null;
const pending = [];
const origOn = parentPort.on.bind(parentPort);
// Queue messages until the Emscripten worker code has installed its handler.
origOn('message', (data) => {
  if (process.env.GANSIGHT_WASM_DEBUG) console.error('worker msg', data && data.cmd);
  chain = chain.then(async () => {
    if (data && data.cmd === 'load' && data.urlOrBlob && typeof data.urlOrBlob !== 'string') {
      const key = 'inline:' + inlineScripts.size;
      inlineScripts.set(key, await data.urlOrBlob.text());
      data.urlOrBlob = key;
    }
    if (handler) handler(data); else pending.push(data);
  });
});
parentPort.on = (ev, fn) => {
  if (ev !== 'message') return origOn(ev, fn);
  handler = fn;
  for (const d of pending.splice(0)) fn(d);
  return parentPort;
};
workerData.blob.text().then((code) => {
  (0, eval)(code);
  const origImport = globalThis.importScripts;
  globalThis.importScripts = (f) => {
    const text = inlineScripts.get(f);
    if (text === undefined) return origImport(f);
    (0, eval)(text);
  };
});
`;

class BlobUrlWorker extends NodeWorker {
  constructor(url: string | URL, options?: ConstructorParameters<typeof NodeWorker>[1]) {
    const href = String(url);
    if (href.startsWith('blob:')) {
      const blob = resolveObjectURL(href);
      if (!blob) throw new Error(`wasm worker script ${href} is not registered`);
      super(BOOTSTRAP, { eval: true, workerData: { blob } });
    } else {
      super(url, options);
    }
  }
}

let installed = false;

/** Installs a blob-URL-capable global Worker once; the wasm backend picks it up at init. */
export function installNodeWasmThreadSupport(): void {
  if (installed) return;
  installed = true;
  // Emscripten assigns globalThis.Worker = worker_threads.Worker during init; the no-op
  // setter keeps ours in place.
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    get: () => BlobUrlWorker,
    set() {},
  });
}
