// PROTOTYPE. Long-lived Lean *file worker* host: keeps an imported environment alive between checks.
//
//   node lsp_host.js <runtime dir> <nonce>
//
// Same framing as host.js (both built on runtime_common.js): one JSON request per stdin line, one
// "<nonce> <json>" answer per stdout line.
//   request: {"id": 1, "text": "<Lean source>", "header": ["import Lean", ...], "timeout_ms": 60000,
//             "max_heartbeats": 200000}   (header: the text's import lines, split by the Python caller)
//   answer:  {"id": 1, "stdout": [lines as `lean --json` prints them], "stderr": "...", "exit_code": 0|1,
//             "ms": 312, "timeout": false, "session": "reused"|"new"}
//
// A session is one `lean --worker` (Lean's LSP file worker) running in a worker thread (lsp_worker.js).
// The first request opens the document (didOpen: imports + elaboration); each later request with the same
// header (imports) and options replaces the whole text (didChange, full sync) and waits with Lean's
// `textDocument/waitForDiagnostics`; Lean re-elaborates only what changed, on the environment it imported
// once. The diagnostics of that version are turned back into `--json` message lines.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { Worker, MessageChannel } = require("worker_threads");
const { hostArgs, replaceOnce, serve } = require("./runtime_common");

const { root, send } = hostArgs("lsp_host.js");
const POOL = process.env.LEAN_LSP_POOL || "12"; // pthread workers made up front (the file worker uses ~10)

// ---------------------------------------------------------------------------------------------------------
// Glue: host.js's derived glue (no `_l_*` bindings, runtime_common.js), plus
//  (1) pthread -> main messages go over a MessageChannel per pthread worker, so that the Lean main thread,
//      which never returns to its event loop while the file worker runs, can receive them synchronously
//      (receiveMessageOnPort) while it waits for stdin: cleanupThread returns finished threads' workers to
//      the pool, `loaded` marks new workers. Without this every new thread costs a new Worker (~1-3 s).
//  (2) Module.__pollWorkers() to do that; Module.__allocated counts Worker creations.
const GLUE_OPTIONS = {
  name: "lean-lsp-glue.js",
  version: "lsp-glue-1",
  patch: (s) =>
    replaceOnce(s, [
      ['postMessage:msg=>parentPort["postMessage"](msg)', 'postMessage:msg=>(globalThis.__emPort||parentPort)["postMessage"](msg)'],
      ['if(cmd==="load"){let messageQueue=[];', 'if(cmd==="load"){if(msgData.emPort)globalThis.__emPort=msgData.emPort;let messageQueue=[];'],
      ['worker.postMessage({cmd:"load",handlers,wasmMemory,wasmModule,dynamicLibraries,sharedModules})',
        'var __ch=new worker_threads.MessageChannel();worker.__emPort=__ch.port1;__ch.port1.on("message",data=>worker.onmessage({data}));' +
        '__ch.port1.unref();worker.postMessage({cmd:"load",handlers,wasmMemory,wasmModule,dynamicLibraries,sharedModules,emPort:__ch.port2},[__ch.port2])'],
      ['allocateUnusedWorker(){', 'allocateUnusedWorker(){Module.__allocated=(Module.__allocated||0)+1;'],
    ]) +
    ";Module.__pollWorkers=()=>{var n=0;for(var w of PThread.unusedWorkers.concat(PThread.runningWorkers)){var m;" +
    "while(w.__emPort&&(m=worker_threads.receiveMessageOnPort(w.__emPort))){n++;w.onmessage({data:m.message})}}return n};",
};

// LSP positions count UTF-16 code units; `lean --json` columns count code points.
function cpColumn(lines, pos) {
  const line = lines[pos.line] || "";
  return Array.from(line.slice(0, pos.character)).length;
}
const SEVERITY = { 1: "error", 2: "warning", 3: "information", 4: "information" };
function toJsonLine(d, lines, fileName) {
  const r = d.fullRange || d.range;
  return JSON.stringify({
    fileName,
    pos: { line: r.start.line + 1, column: cpColumn(lines, r.start) },
    endPos: { line: r.end.line + 1, column: cpColumn(lines, r.end) },
    severity: SEVERITY[d.severity] || "information",
    caption: "",
    data: d.message,
  });
}

let wasmModule = null;
let glue = null;

class Session {
  constructor(key, args) {
    this.key = key;
    this.version = 0;
    this.t0 = Date.now();
    this.uri = "file:///axiomatic-lsp/Check.lean";
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "axiomatic-lsp-"));
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.signal = new Int32Array(new SharedArrayBuffer(4));
    this.nextId = 0;
    this.pending = new Map(); // request id -> resolve
    this.diags = new Map(); // version -> latest diagnostics
    this.logs = [];
    this.dead = null;
    this.worker = new Worker(path.join(__dirname, "lsp_worker.js"), {
      workerData: {
        wasmModule, glue, port: port2, signal: this.signal.buffer, args, cwd: this.dir,
        env: { LEAN_PATH: path.join(root, "lib"), LEAN_WASM_POOL: POOL, LEAN_WASM_MOUNTS: root + ":" + this.dir },
      },
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    const keepLog = (t) => {
      this.logs.push(t);
      if (this.logs.length > 200) this.logs.shift();
    };
    this.worker.stdout.on("data", (d) => keepLog(String(d)));
    this.worker.stderr.on("data", (d) => keepLog(String(d)));
    this.ready = new Promise((resolve) => (this.onReady = resolve));
    this.worker.on("message", (m) => {
      if (m.cmd === "ready") {
        this.readyMs = Date.now() - this.t0;
        this.onReady(true);
      }
      else if (m.cmd === "log") keepLog(m.text);
      else if (m.cmd === "exit") this.die("Lean exited with " + m.code);
      else if (m.cmd === "lsp") {
        this.heap = m.heap;
        this.threads = m.threads;
        this.onLsp(JSON.parse(m.body), m.workers);
      }
    });
    this.worker.on("error", (e) => this.die(e.stack || String(e)));
    this.worker.on("exit", (code) => this.die("worker thread exit " + code));
  }
  die(why) {
    if (this.dead) return;
    this.dead = why;
    this.onReady(false);
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
  write(obj) {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...obj }));
    this.port.postMessage(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    Atomics.add(this.signal, 0, 1);
    Atomics.notify(this.signal, 0);
  }
  request(method, params) {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      if (this.dead) return resolve(null);
      this.pending.set(id, resolve);
      this.write({ id, method, params });
    });
  }
  onLsp(msg, workers) {
    this.workers = workers;
    if (msg.method && msg.id !== undefined) {
      this.write({ id: msg.id, result: null }); // server -> client requests (refresh hints): acknowledge
    } else if (msg.method === "textDocument/publishDiagnostics") {
      this.diags.set(msg.params.version, msg.params.diagnostics);
    } else if (msg.id !== undefined && this.pending.has(msg.id)) {
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve(msg);
    }
  }
  async check(text) {
    if (!(await this.ready)) throw new Error(this.dead);
    const version = ++this.version;
    if (version === 1) {
      this.write({ id: 0, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
      this.write({
        method: "textDocument/didOpen",
        params: { textDocument: { uri: this.uri, languageId: "lean4", version, text } },
      });
    } else {
      this.write({
        method: "textDocument/didChange",
        params: { textDocument: { uri: this.uri, version }, contentChanges: [{ text }] },
      });
    }
    const r = await this.request("textDocument/waitForDiagnostics", { uri: this.uri, version });
    if (!r) throw new Error(this.dead || "no answer");
    if (r.error) throw new Error("waitForDiagnostics: " + JSON.stringify(r.error));
    for (const v of this.diags.keys()) if (v < version) this.diags.delete(v);
    return this.diags.get(version) || [];
  }
  close() {
    this.die("closed");
    this.worker.terminate();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

let session = null;
// Lean's wasm heap grows ~65 MB per check in a session (cause not found yet) up to the 2 GB wasm32 limit,
// where the session dies. So: from SPARE_AT on, a spare session with the same header is started (and does
// its imports) in the background; at RECYCLE_AT the spare replaces the current session.
const MB = 1048576;
const SPARE_AT = +(process.env.LEAN_LSP_SPARE_MB || 1100) * MB;
const RECYCLE_AT = +(process.env.LEAN_LSP_RECYCLE_MB || 1500) * MB;
let spare = null; // {session, warmed: Promise}

// The header of a request's text: its leading `module`/`prelude`/`import` lines, as Python split them
// (axiomatic/lean/syntax.py split_header; no Lean lexing here). A session serves only texts with the same
// header (and options); another header starts a new session.
function headerOf(req) {
  if (!Array.isArray(req.header) || !req.header.every((l) => typeof l === "string"))
    throw new Error("a request needs `header`: the text's import lines, split by the caller");
  return req.header;
}

async function handle(req) {
  const t0 = Date.now();
  const text = req.text;
  const extra = (process.env.LEAN_LSP_ARGS || "").split(" ").filter((a) => a);
  const args = ["--worker", ...extra, `-DmaxHeartbeats=${req.max_heartbeats || 200000}`];
  const header = headerOf(req);
  const key = header.join("\n") + "\0" + args.join(" ");
  let fresh = false;
  let note = "";
  if (spare && (spare.session.dead || spare.session.key !== key)) {
    spare.session.close();
    spare = null;
  }
  if (session && spare && (session.dead || (session.heap || 0) >= RECYCLE_AT)) {
    session.close();
    session = spare.session;
    spare = null;
    note = "recycled: spare session took over\n";
  }
  if (!session || session.dead || session.key !== key) {
    if (session && session.dead) note = "previous session died: " + session.dead + "\n" + session.logs.slice(-30).join("\n");
    if (session) session.close();
    session = new Session(key, args);
    fresh = true;
  }
  const s = session;
  let timer = null;
  const timedOut = new Promise((resolve) => {
    if (req.timeout_ms) timer = setTimeout(() => resolve("timeout"), req.timeout_ms);
  });
  let diags;
  try {
    diags = await Promise.race([s.check(text), timedOut]);
  } catch (e) {
    clearTimeout(timer);
    s.close();
    if (session === s) session = null;
    return { id: req.id, stdout: [], stderr: "lsp host: " + e.message + "\n" + s.logs.join("\n"), exit_code: 134,
      ms: Date.now() - t0, timeout: false };
  }
  clearTimeout(timer);
  if (diags === "timeout") {
    s.close(); // the elaboration may still run: drop the whole session
    if (session === s) session = null;
    return { id: req.id, stdout: [], stderr: "timeout", exit_code: null, ms: Date.now() - t0, timeout: true };
  }
  if (!spare && (s.heap || 0) >= SPARE_AT && !s.dead) {
    const sp = new Session(key, args);
    // the spare imports the same modules: its first text is the header alone
    spare = { session: sp, warmed: sp.check(header.length ? header.join("\n") + "\n" : "").catch(() => null) };
  }
  const lines = text.split("\n");
  const fileName = req.file_name || "Check.lean";
  const sorted = diags.slice().sort((a, b) => {
    const x = (a.fullRange || a.range).start, y = (b.fullRange || b.range).start;
    return x.line - y.line || x.character - y.character;
  });
  const stdout = sorted.map((d) => toJsonLine(d, lines, fileName));
  const hasError = diags.some((d) => d.severity === 1);
  return { id: req.id, stdout, stderr: note, exit_code: hasError ? 1 : 0, ms: Date.now() - t0, timeout: false,
    session: fresh ? "new" : "reused", workers: s.workers, threads_started: s.threads, wasm_heap_mb: Math.round((s.heap || 0) / 1048576), session_ready_ms: fresh ? s.readyMs : undefined };
}

serve({
  root,
  send,
  glueOptions: GLUE_OPTIONS,
  label: "lsp host",
  started: (compiled) => ({ wasmModule, glue } = compiled),
  handle,
});
