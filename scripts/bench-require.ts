/**
 * Loads an extension bundle in plain Node, with a stand-in `vscode` module, and reports how
 * long require() took and whether undici was evaluated on the way. Run in a fresh process
 * per sample by scripts/bench.ts: `node out/scripts/bench-require.js <bundle.js>`.
 * Prints one JSON line: { requireMs, undiciEvaluated }.
 */
import Module from 'node:module';

/** undici's lib/global.js installs its global dispatcher under this key as soon as it is evaluated. */
const UNDICI_GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

/** Anything at all: every property is a constructible, callable stand-in with more of the same. */
function stub(): unknown {
  const fn = function () {
    /* stand-in */
  };
  return new Proxy(fn, {
    get: (target, key) => (key === 'prototype' ? target.prototype : key === Symbol.toPrimitive ? () => '' : stub()),
    apply: () => stub(),
    construct: () => stub() as object,
  });
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };

function main(): void {
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: bench-require.js <bundle.js>');
  const vscode = stub();
  const load = moduleInternals._load;
  moduleInternals._load = function (request, parent, isMain) {
    return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
  };
  const before = (globalThis as Record<symbol, unknown>)[UNDICI_GLOBAL_DISPATCHER] !== undefined;
  const started = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(bundle);
  const requireMs = Number(process.hrtime.bigint() - started) / 1e6;
  const after = (globalThis as Record<symbol, unknown>)[UNDICI_GLOBAL_DISPATCHER] !== undefined;
  process.stdout.write(`${JSON.stringify({ requireMs, undiciEvaluated: !before && after })}\n`);
}

main();
