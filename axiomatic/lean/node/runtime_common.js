// What host.js (a worker thread per check) and lsp_host.js (a kept-alive Lean file worker) share:
//   - the command line `node <host> <runtime dir> <nonce>` and the nonce-framed answer lines on stdout;
//   - the derived glue (lean.js without its ~190,000 unused `_l_*` bindings), with optional extra patches;
//   - compiling lean.wasm once, the "ready" line, and the JSON-line request loop (one request at a time);
// and what their worker threads (worker.js, lsp_worker.js) share: instantiating the compiled module and
// calling Lean's main with an argv.
"use strict";
const fs = require("fs");
const path = require("path");
const readline = require("readline");

// `node <script> <runtime dir> <nonce>`: the arguments, console.* moved to stderr (only protocol lines go
// to stdout), and `send`, which writes one "<nonce> <json>" answer line.
function hostArgs(script) {
  const [root, nonce] = process.argv.slice(2);
  if (!root || !nonce) {
    process.stderr.write(`usage: node ${script} <runtime dir> <nonce>\n`);
    process.exit(2);
  }
  console.log = console.info = console.warn = console.debug = console.error;
  const send = (obj) => process.stdout.write(nonce + " " + JSON.stringify(obj) + "\n");
  return { root, nonce, send };
}

// The glue as shipped declares and assigns ~190,000 JavaScript bindings for Lean's exported functions,
// which nothing in the glue uses (Lean finds them through dlsym on the instance's exports): 89 MB to parse
// in every thread. The derived glue drops them and takes its Module object from a global set by the worker
// thread (globalThis.__leanHostModule). It is written to <root>/<name> once and rebuilt when lean.js is
// newer, or (when `version` is given) when the file does not end with that version's marker.
// `patch(source)` returns the source with further changes (lsp_host.js's pthread channels).
function derivedGlue(root, { name, version = null, patch = null }) {
  const src = path.join(root, "lean.js");
  const dst = path.join(root, name);
  const marker = version ? "/*" + version + "*/" : "";
  const srcStat = fs.statSync(src);
  try {
    if (fs.statSync(dst).mtimeMs >= srcStat.mtimeMs && (!marker || fs.readFileSync(dst, "utf8").endsWith(marker)))
      return dst;
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
  if (patch) s = patch(s);
  s += marker;
  const tmp = dst + "." + process.pid + ".tmp";
  fs.writeFileSync(tmp, s);
  fs.renameSync(tmp, dst);
  return dst;
}

// Replace each `from` (which must occur exactly once) by its `to`.
function replaceOnce(s, patches) {
  for (const [from, to] of patches) {
    if (s.split(from).length !== 2) throw new Error("lean.js is not the expected build (" + from.slice(0, 40) + ")");
    s = s.replace(from, to);
  }
  return s;
}

// Start a host: derive the glue, compile lean.wasm once, call `started({glue, wasmModule})`, send the ready
// line, then serve JSON-line requests from stdin one at a time: `handle(req)` returns the answer (an
// exception becomes an exit_code 134 answer whose stderr starts with `label`), `afterEach()` runs after
// each answer is sent. Ends the process when stdin closes.
function serve({ root, send, glueOptions, label, started = () => {}, handle, afterEach = () => {} }) {
  const queue = [];
  let busy = false;
  async function pump() {
    if (busy) return;
    busy = true;
    while (queue.length) {
      const req = queue.shift();
      let answer;
      try {
        answer = await handle(req);
      } catch (e) {
        answer = { id: req.id, stdout: [], stderr: label + ": " + (e.stack || String(e)), exit_code: 134, timeout: false };
      }
      send(answer);
      afterEach();
    }
    busy = false;
  }

  (async () => {
    const t0 = Date.now();
    const glue = derivedGlue(root, glueOptions);
    const t1 = Date.now();
    const wasmModule = await WebAssembly.compile(fs.readFileSync(path.join(root, "lean.wasm")));
    const t2 = Date.now();
    started({ glue, wasmModule });
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
}

// -- in the worker threads ---------------------------------------------------------------------------------

// Module.instantiateWasm for a module compiled once by the host (no recompilation in any thread).
function instantiateCompiled(wasmModule) {
  return (imports, done) => {
    WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
    return {};
  };
}

// Call Lean's main with `args` (argv[0] is "lean"); returns its exit code. An Emscripten exit gives its
// status; any other exception goes to `onError` and gives 134.
function callMain(Module, args, onError) {
  const argv0 = ["lean", ...args];
  try {
    const argv = Module.stackAlloc((argv0.length + 1) * 4);
    const heap = new Uint32Array(Module.wasmMemory ? Module.wasmMemory.buffer : Module.HEAPU8.buffer);
    argv0.forEach((a, i) => {
      heap[(argv >> 2) + i] = Module.stringToUTF8OnStack(a);
    });
    new Uint32Array(heap.buffer)[(argv >> 2) + argv0.length] = 0;
    return Module._main(argv0.length, argv);
  } catch (e) {
    if (e && e.name === "ExitStatus") return e.status;
    onError(e);
    return 134;
  }
}

module.exports = { hostArgs, derivedGlue, replaceOnce, serve, instantiateCompiled, callMain };
