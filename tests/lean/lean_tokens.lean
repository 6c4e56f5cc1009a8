/- Lean's own tokenizer over sample texts, for tests/lean/test_syntax.py: one line per sample,
   `AXTOK <index> ok <kind>:<start>:<stop> ...` (UTF-8 byte offsets) or `AXTOK <index> error <offset>`.
   Comments are whitespace to Lean's tokenizer, so they do not appear. -/
import Lean.Parser.Extension
namespace AxiomaticTokens
open Lean Parser

def kindOf (stx : Syntax) : String :=
  match stx with
  | .atom _ v => if v.length > 0 && v.front.isAlpha then "word" else "symbol"
  | .ident .. => "word"
  | .node _ k _ =>
    if k == strLitKind || k == interpolatedStrKind then "string"
    else if k == charLitKind then "char"
    else if k == numLitKind || k == scientificLitKind then "number"
    else if k == nameLitKind then "name"
    else "other"
  | .missing => "missing"

/-- The tokens of the rest of the input, or where Lean's tokenizer failed. -/
partial def loop (ictx : InputContext) (pmctx : ParserModuleContext) (tt : TokenTable) (s : ParserState)
    (fuel : Nat) (acc : String) : String :=
  if fuel == 0 then " error fuel" else
  let s := whitespace.run ictx pmctx tt s
  if s.hasError then " error " ++ toString s.pos.byteIdx else
  if ictx.endPos ≤ s.pos then " ok" ++ acc else
  let s := (tokenFn []).run ictx pmctx tt s
  if s.hasError then " error " ++ toString s.pos.byteIdx else
  let stx := s.stxStack.back
  let start := match stx.getPos? with | some p => p.byteIdx | none => 0
  let stop := match stx.getTailPos? with | some p => p.byteIdx | none => 0
  loop ictx pmctx tt s (fuel - 1) (acc ++ " " ++ kindOf stx ++ ":" ++ toString start ++ ":" ++ toString stop)

def runAll (env : Environment) (i : Nat) : List String → IO Unit
  | [] => pure ()
  | t :: rest => do
    let pmctx : ParserModuleContext := { env := env, options := {} }
    let ictx : InputContext := { inputString := t, fileName := "<sample>", fileMap := FileMap.ofString t }
    IO.println ("AXTOK " ++ toString i ++ loop ictx pmctx (getTokenTable env) (mkParserState t) 100000 "")
    runAll env (i + 1) rest

def run (texts : List String) : CoreM Unit := do
  runAll (← getEnv) 0 texts

end AxiomaticTokens
