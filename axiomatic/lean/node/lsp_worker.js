// PROTOTYPE. One long-lived `lean --worker` (Lean's LSP file worker) inside a worker thread of lsp_host.js.
//
// This thread is Emscripten's main runtime thread: it runs Lean's main, which never returns. The file
// worker's main loop reads LSP messages from stdin on this thread, while elaboration runs on pthreads whose
// syscalls (file reads, stdout writes, pthread_create) are proxied to this thread through the Emscripten
// mailbox. So our stdin device must never block without servicing the mailbox:
//   - stdin: the device's read() takes bytes that the host posts on a MessagePort, received synchronously
//     with receiveMessageOnPort; while nothing is there it services the mailbox and sleeps on a shared
//     counter (Atomics.wait with a short timeout) that the host bumps after each post.
//   - stdout: the device's write() gets raw bytes (no TTY line buffering); we cut them into LSP messages
//     (Content-Length framing) and post each JSON body to the host.
"use strict";
const { parentPort, workerData, receiveMessageOnPort } = require("worker_threads");
const { instantiateCompiled, callMain } = require("./runtime_common");

const { wasmModule, glue, port, signal, args, cwd, env } = workerData;
const sig = new Int32Array(signal);
// before the glue loads: it reads LEAN_WASM_POOL when it creates the pthread pool
for (const [k, v] of Object.entries(env || {})) process.env[k] = v;
const started = Date.now();
const log = (...a) => parentPort.postMessage({ cmd: "log", text: a.map(String).join(" ") });
console.log = console.info = console.debug = console.error = console.warn = (...a) => {
  const t = a.map(String).join(" ");
  if (!t.startsWith("[DEBUG")) log(t);
};

let inBuf = Buffer.alloc(0);
let seen = 0;
function pumpPort() {
  let m;
  let got = false;
  while ((m = receiveMessageOnPort(port))) {
    const b = Buffer.from(m.message);
    inBuf = inBuf.length ? Buffer.concat([inBuf, b]) : b;
    got = true;
  }
  return got;
}
let lastBeat = Date.now();
function stdinRead(stream, buffer, offset, length) {
  while (!inBuf.length) {
    if (process.env.LSP_TRACE && Date.now() - lastBeat > 5000) {
      lastBeat = Date.now();
      log("waiting on stdin; workers unused/running " + Module.PThread.unusedWorkers.length + "/" + Module.PThread.runningWorkers.length);
    }
    seen = Atomics.load(sig, 0);
    if (pumpPort()) break;
    Module.__emscripten_check_mailbox();
    if (Module.__pollWorkers) Module.__pollWorkers();
    Atomics.wait(sig, 0, seen, 5);
  }
  const n = Math.min(length, inBuf.length);
  for (let i = 0; i < n; i++) buffer[offset + i] = inBuf[i];
  inBuf = inBuf.subarray(n);
  return n;
}

let outBuf = Buffer.alloc(0);
function stdoutWrite(stream, buffer, offset, length) {
  const chunk = Buffer.from(buffer.slice(offset, offset + length));
  outBuf = outBuf.length ? Buffer.concat([outBuf, chunk]) : chunk;
  for (;;) {
    const h = outBuf.indexOf("\r\n\r\n");
    if (h < 0) break;
    const head = outBuf.subarray(0, h).toString();
    const mm = /Content-Length:\s*(\d+)/i.exec(head);
    if (!mm) {
      // not LSP framing: pass the line(s) on as log text
      log("stdout: " + head);
      outBuf = outBuf.subarray(h + 4);
      continue;
    }
    const len = +mm[1];
    if (outBuf.length < h + 4 + len) break;
    const body = outBuf.subarray(h + 4, h + 4 + len).toString("utf8");
    outBuf = outBuf.subarray(h + 4 + len);
    parentPort.postMessage({ cmd: "lsp", body, workers: Module.__allocated | 0, threads: Module.__threadsStarted | 0, heap: Module.wasmMemory ? Module.wasmMemory.buffer.byteLength : 0 });
  }
  return length;
}
let errLine = [];
function stderrWrite(stream, buffer, offset, length) {
  const s = Buffer.from(buffer.slice(offset, offset + length)).toString();
  for (const line of s.split(/(?<=\n)/)) {
    errLine.push(line);
    if (line.endsWith("\n")) {
      const t = errLine.join("").replace(/\n$/, "");
      errLine = [];
      if (!t.startsWith("[DEBUG")) log("stderr: " + t);
    }
  }
  return length;
}

const Module = {
  thisProgram: "lean",
  noInitialRun: true,
  noExitRuntime: true, // else the first pthread message handled while main runs (cleanupThread) exits the runtime
  mainScriptUrlOrBlob: glue,
  stdin: () => null,
  stdout: () => {},
  stderr: () => {},
  print: (...a) => console.log(...a),
  printErr: (...a) => console.log(...a),
  instantiateWasm: instantiateCompiled(wasmModule),
  onRuntimeInitialized() {
    const FS = Module.FS;
    const dev = (p) => FS.getDevice(FS.lookupPath(p, { follow: true }).node.rdev).stream_ops;
    dev("/dev/stdin").read = stdinRead;
    dev("/dev/stdout").write = stdoutWrite;
    dev("/dev/stderr").write = stderrWrite;
    const PT = Module.PThread; // count thread starts (diagnostics)
    const getNewWorker = PT.getNewWorker;
    PT.getNewWorker = function () {
      Module.__threadsStarted = (Module.__threadsStarted || 0) + 1;
      return getNewWorker.apply(this, arguments);
    };
    parentPort.postMessage({ cmd: "ready", ms: Date.now() - started });
    setImmediate(runMain);
  },
  __trace(m) {
    if (process.env.LSP_TRACE && m.cmd !== "checkMailbox") log("pthread msg: " + JSON.stringify(m).slice(0, 300));
  },
  onAbort(what) {
    log("Aborted: " + what);
  },
};
globalThis.__leanHostModule = Module;

function runMain() {
  process.cwd = () => cwd;
  const code = callMain(Module, args, (e) => log("Lean threw: " + (e && e.stack ? e.stack : String(e))));
  parentPort.postMessage({ cmd: "exit", code });
}

require(glue);
