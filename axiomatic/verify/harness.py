"""The Lean file the verifier writes, and the verdict lines it reads back.

Layout (every part but the proofs is ours):

    import Lean.AddDecl / Lean.CoreM / Lean.Util.CollectAxioms
    <trusted context>
    -- per obligation i:
    theorem AxRef_<nonce>_<i> : <statement> := sorry            -- the statement, elaborated on its own
    theorem AxTarget_<nonce>_<i> : <statement> := (<proof>)     -- the candidate
    -- once, at the end:
    #eval <harness>   -- per target: kind, type == reference type, axioms, used constants, one JSON line

The harness is the measured mechanism of shared/notes/lean-wasm-axioms.md (`#print axioms` is refused on the
embedded build): `collectAxioms` walks the file's own constants in full and stops at imported body-less
stubs, which are reported separately and trusted, except the banned ones. Names are built at run time
(`mkPrivateName`), so a target that failed to be added makes only its own line say "missing".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

IMPORTS = "import Lean.AddDecl\nimport Lean.CoreM\nimport Lean.Util.CollectAxioms\n"
STANDARD_AXIOMS = ("propext", "Classical.choice", "Quot.sound")
# Imported constants without a body in the embedded build that must never appear in a proof's closure.
BANNED_STUBS = ("Lean.reduceBool", "Lean.reduceNat", "Lean.ofReduceBool", "Lean.ofReduceNat", "Lean.trustCompiler",
                "sorryAx")

HARNESS = r'''
#eval show Lean.CoreM Unit from do
  let env ← Lean.getEnv
  for (t, r) in [{pairs}] do
    let tn := if (env.find? t).isSome then t else Lean.mkPrivateName env t
    let rn := if (env.find? r).isSome then r else Lean.mkPrivateName env r
    let tq := (t.toString false).quote
    match env.find? tn, env.find? rn with
    | some (.thmInfo ti), some ri =>
      let same := ti.type == ri.type && ti.levelParams == ri.levelParams
      let mut axs := ""
      let mut stubs := ""
      for a in (← Lean.collectAxioms tn).toList do
        let q := (a.toString false).quote
        let stub := (env.getModuleIdxFor? a).isSome &&
          (match Lean.getOriginalConstKind? env a with | some .axiom => false | none => false | some _ => true)
        if stub then
          -- imported body-less constants are trusted leaves, except those that trust the compiler
          if a == `Lean.reduceBool || a == `Lean.reduceNat || a == `Lean.trustCompiler then
            stubs := if stubs.isEmpty then q else stubs ++ "," ++ q
        else
          axs := if axs.isEmpty then q else axs ++ "," ++ q
      -- constants the proof uses, looking through the auxiliary lemmas the elaborator split off
      let mut uses := ""
      for c in ti.value.getUsedConstants.toList do
        let inner := if tn.isPrefixOf c then
            (match env.find? c with | some ci => (match ci.value? with | some v => v.getUsedConstants.toList | none => []) | none => [])
          else [c]
        for d in inner do
          let q := (d.toString false).quote
          uses := if uses.isEmpty then q else uses ++ "," ++ q
      IO.println ("VERDICT-{nonce} {{\"target\":" ++ tq ++ ",\"kind\":\"thm\",\"same_type\":" ++ toString same ++
        ",\"axioms\":[" ++ axs ++ "],\"imported_bodyless\":[" ++ stubs ++ "],\"uses\":[" ++ uses ++ "]}}")
    | some _, _ =>
      IO.println ("VERDICT-{nonce} {{\"target\":" ++ tq ++ ",\"kind\":\"other\"}}")
    | none, _ =>
      IO.println ("VERDICT-{nonce} {{\"target\":" ++ tq ++ ",\"kind\":\"missing\"}}")
'''


@dataclass(frozen=True)
class Block:
    """Where obligation `index` sits in the file (1-based line numbers, inclusive)."""

    index: int
    first_line: int
    last_line: int
    target: str
    reference: str
    proof_first_line: int


def build(context: str, items: list[tuple[str, str]], nonce: str, max_heartbeats: int) -> tuple[str, list[Block], int]:
    """Return (file text, blocks, harness line) for (statement, proof) items that passed confinement."""
    parts = [IMPORTS, context.rstrip("\n") + "\n\n" if context.strip() else ""]
    line = 1 + sum(p.count("\n") for p in parts)
    blocks: list[Block] = []
    for i, (statement, proof) in enumerate(items):
        target, reference = f"AxTarget_{nonce}_{i}", f"AxRef_{nonce}_{i}"
        statement = " ".join(statement.split("\n"))
        text = (
            f"set_option autoImplicit false in\n"
            f"theorem {reference} : {statement} := sorry\n"
            f"set_option autoImplicit false in\n"
            f"set_option maxHeartbeats {max_heartbeats} in\n"
            f"theorem {target} : {statement} :=\n"
            f"(\n{proof.strip(chr(10))}\n)\n\n"
        )
        n_lines = text.count("\n")
        blocks.append(Block(i, line, line + n_lines - 1, target, reference, line + 5))
        parts.append(text)
        line += n_lines
    pairs = ", ".join(f"(`{b.target}, `{b.reference})" for b in blocks)
    harness = HARNESS.replace("{pairs}", pairs).replace("{nonce}", nonce).replace("{{", "{").replace("}}", "}")
    parts.append(harness)
    harness_line = line + 1  # the `#eval` line (HARNESS starts with a newline)
    return "".join(parts), blocks, harness_line


def read_verdicts(texts: list[str], nonce: str) -> dict[str, list[dict]]:
    """Verdict objects by target name. A line that is not valid JSON is dropped (and so counts as missing)."""
    pattern = re.compile(rf"VERDICT-{nonce} (\{{.*\}})")
    found: dict[str, list[dict]] = {}
    for text in texts:
        for line in text.splitlines():
            m = pattern.search(line)
            if not m:
                continue
            try:
                obj = json.loads(m.group(1))
            except ValueError:
                continue
            if isinstance(obj, dict) and isinstance(obj.get("target"), str):
                found.setdefault(obj["target"], []).append(obj)
    return found
