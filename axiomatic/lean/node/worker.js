// One Lean run inside a worker thread of host.js. The host hands over the compiled WebAssembly.Module
// (no recompilation here or in the glue's own pthread workers), the derived glue's path, and later the
// request. Everything Lean prints goes to arrays through Module.print/printErr and console hooks: this
// thread never writes to the host's stdout.
"use strict";
const { parentPort, workerData } = require("worker_threads");
const { instantiateCompiled, callMain } = require("./runtime_common");

const { wasmModule, glue } = workerData;
const started = Date.now();
let out = [];
let err = [];
const capture = (sink) => (...a) => sink.push(a.map(String).join(" "));
console.log = console.info = console.debug = (...a) => capture(out)(...a);
console.error = console.warn = (...a) => capture(err)(...a);

let request = null;
let finished = false;

function finish(code, why) {
  if (finished) return;
  finished = true;
  parentPort.postMessage({ cmd: "done", exit_code: code, why, stdout: out, stderr: err.join("\n") });
}

const Module = {
  thisProgram: "lean",
  noInitialRun: true,
  mainScriptUrlOrBlob: glue,
  print: (...a) => out.push(a.map(String).join(" ")),
  printErr: (...a) => err.push(a.map(String).join(" ")),
  instantiateWasm: instantiateCompiled(wasmModule),
  onRuntimeInitialized() {
    parentPort.postMessage({ cmd: "ready", ms: Date.now() - started });
  },
  onExit(code) {
    finish(code, "exit");
  },
  onAbort(what) {
    err.push("Aborted: " + what);
  },
};
globalThis.__leanHostModule = Module;

parentPort.on("message", (msg) => {
  if (msg.cmd !== "run" || request) return;
  request = msg;
  for (const [k, v] of Object.entries(msg.env || {})) process.env[k] = v;
  process.cwd = () => msg.cwd; // read by lean_main to set the wasm file system's working directory
  const code = callMain(Module, msg.args, (e) => err.push("host: Lean threw: " + (e && e.stack ? e.stack : String(e))));
  finish(code, "return");
});

require(glue);
