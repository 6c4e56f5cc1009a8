/-
The trusted verifier's own Lean code (axiomatic/verify/harness.py writes it into every verification file,
after the imports and before the trusted context).

An untrusted proof never becomes part of the file's command syntax: it reaches Lean as a string literal
(escaped by the Python side) in `#eval AxiomaticHarness.check ...`. `check` parses it with Lean's own parser
(one `term` that consumes the whole input, no forbidden syntax anywhere in the tree), builds the theorem
command around the parsed syntax itself, elaborates it, audits the result and prints one verdict line. All of
this code is compiled before any untrusted text is read, so nothing in a proof can shadow it, change its
instances or reach its output.

Written for the embedded (WebAssembly) Lean as much as for a native one: explicit recursion over lists and
syntax, no `for`, no `List.map`/`++`/`length`, no `s!`/`toString` on names (their compiled forms reach private
core code that the embedded build does not ship).
-/
namespace AxiomaticHarness
open Lean Elab Command

/-! ## The syntax gate -/

/-- Keywords a proof or statement may not contain anywhere: holes, evaluation by the compiler, metaprograms,
options (`maxHeartbeats 0`, `debug.skipKernelTC`), unsafe code. -/
def bannedAtom (v : String) : Bool :=
  v == "sorry" || v == "admit" || v == "native_decide" || v == "by_elab" || v == "run_tac" ||
  v == "run_elab" || v == "run_meta" || v == "run_cmd" || v == "set_option" || v == "unsafe" ||
  v == "implemented_by" || v == "extern" || v == "csimp" || v == "#exit" || v == "elab" ||
  v == "macro" || v == "macro_rules" || v == "syntax" || v == "initialize" || v == "#eval"

/-- Name components that reach the compiler or a hole through an ordinary identifier. -/
def bannedComponent (s : String) : Bool :=
  s == "reduceBool" || s == "reduceNat" || s == "ofReduceBool" || s == "ofReduceNat" ||
  s == "trustCompiler" || s == "sorryAx" || s == "unsafeCast" || s == "unsafeIO" ||
  s == "unsafeBaseIO" || s == "unsafeEIO" || s == "skipKernelTC" || s == "native"

def bannedName : Name → Bool
  | .str p s => bannedComponent s || bannedName p
  | .num p _ => bannedName p
  | .anonymous => false

mutual
/-- The first forbidden keyword or name anywhere in a syntax tree. -/
partial def scan : Syntax → Option String
  | .node _ _ args => scanArgs args 0
  | .ident _ _ n _ => if bannedName n then some (n.toString false) else none
  | .atom _ v => if bannedAtom v then some v else none
  | .missing => some "<missing syntax>"
partial def scanArgs (args : Array Syntax) (i : Nat) : Option String :=
  if h : i < args.size then
    match scan args[i] with
    | some r => some r
    | none => scanArgs args (i + 1)
  else none
end

mutual
/-- `stx` with the identifier `hole` replaced by `by_`. -/
partial def replaceHole (hole : Name) (by_ : Syntax) : Syntax → Syntax
  | .node info k args => .node info k (replaceArgs hole by_ args 0 #[])
  | .ident info raw n pre => if n == hole then by_ else .ident info raw n pre
  | s => s
partial def replaceArgs (hole : Name) (by_ : Syntax) (args : Array Syntax) (i : Nat) (acc : Array Syntax) :
    Array Syntax :=
  if h : i < args.size then replaceArgs hole by_ args (i + 1) (acc.push (replaceHole hole by_ args[i]))
  else acc
end

mutual
/-- `stx` without source positions: messages about our own syntax then point at the start of the proof. -/
partial def stripInfo : Syntax → Syntax
  | .node _ k args => .node .none k (stripArgs args 0 #[])
  | .ident _ raw n pre => .ident .none raw n pre
  | .atom _ v => .atom .none v
  | .missing => .missing
partial def stripArgs (args : Array Syntax) (i : Nat) (acc : Array Syntax) : Array Syntax :=
  if h : i < args.size then stripArgs args (i + 1) (acc.push (stripInfo args[i])) else acc
end

/-! ## JSON output (by hand: `Lean.Json` is not executable on the embedded build) -/

def field (k v : String) : String := "\"" ++ k ++ "\":" ++ v

def quoteName (n : Name) : String := (n.toString false).quote

def joinQuoted : List Name → String
  | [] => ""
  | [n] => quoteName n
  | n :: rest => quoteName n ++ "," ++ joinQuoted rest

def severityText : MessageSeverity → String
  | .error => "\"error\""
  | .warning => "\"warning\""
  | .information => "\"information\""

def messageJson (m : Message) : BaseIO String := do
  let text ← m.data.toString
  let stop := match m.endPos with
    | some p => "," ++ field "end_line" (toString p.line) ++ "," ++ field "end_column" (toString p.column)
    | none => ""
  return "{" ++ field "severity" (severityText m.severity) ++ "," ++ field "line" (toString m.pos.line) ++
    "," ++ field "column" (toString m.pos.column) ++ stop ++ "," ++ field "text" text.quote ++ "}"

def messagesJson : List Message → BaseIO String
  | [] => pure ""
  | [m] => messageJson m
  | m :: rest => do return (← messageJson m) ++ "," ++ (← messagesJson rest)

def hasError : List Message → Bool
  | [] => false
  | m :: rest => m.severity == .error || hasError rest

/-! ## Elaboration of our own commands around parsed syntax -/

/-- Elaborate `cmd` with messages positioned against `text` (the proof or the statement, not the file).
(`elabCommand` is applied in full here: a closure over it would need code the embedded build lacks.) -/
def elabAgainst (text name : String) (cmd : Syntax) : CommandElabM Unit :=
  fun ctx => elabCommand cmd { ctx with fileMap := FileMap.ofString text, fileName := name, snap? := none }

/-- Elaborate `cmd` on the current state; return the messages it logged and the environment it left. The
state is restored afterwards: nothing the command did stays in the file's environment. -/
def elabIsolated (text name : String) (cmd : Syntax) : CommandElabM (List Message × Environment) := do
  let saved ← get
  set { saved with messages := {} }
  elabAgainst text name cmd
  let after ← get
  set saved
  return (after.messages.toList, after.env)

/-! ## The audit -/

/-- Imported body-less constants whose use means trusting the compiler or a hole. -/
def isBannedStub (a : Name) : Bool :=
  a == `Lean.reduceBool || a == `Lean.reduceNat || a == `Lean.ofReduceBool || a == `Lean.ofReduceNat ||
  a == `Lean.trustCompiler || a == `sorryAx

/-- `xs ++ ys` by explicit recursion. -/
def appendNames : List Name → List Name → List Name
  | [], ys => ys
  | x :: xs, ys => x :: appendNames xs ys

def countNames : List Name → Nat
  | [] => 0
  | _ :: xs => countNames xs + 1

def reverseNames : List Name → List Name → List Name
  | [], acc => acc
  | n :: rest, acc => reverseNames rest (n :: acc)

def depsOf (ci : ConstantInfo) : List Name :=
  match ci.value? (allowOpaque := true) with
  | some v => appendNames ci.type.getUsedConstants.toList v.getUsedConstants.toList
  | none => ci.type.getUsedConstants.toList

mutual
/-- The constants that `c` reaches and that did not exist before the proof was elaborated (the target, the
auxiliary declarations Lean made for it, and lemmas it realized on the way, such as `f.induct` or `f.eq_1`
for a context definition `f`), dependencies first (in reverse). -/
partial def newClosure (before after : Environment) (c : Name) (seen : NameSet) (order : List Name) :
    NameSet × List Name :=
  if seen.contains c then (seen, order) else
  let seen := seen.insert c
  match after.find? c with
  | none => (seen, order)
  | some ci =>
    let r := newList before after (depsOf ci) seen order
    (r.1, c :: r.2)
partial def newList (before after : Environment) (cs : List Name) (seen : NameSet) (order : List Name) :
    NameSet × List Name :=
  match cs with
  | [] => (seen, order)
  | c :: rest =>
    if (before.find? c).isNone then
      let r := newClosure before after c seen order
      newList before after rest r.1 r.2
    else newList before after rest seen order
end

/-- The declaration that re-adds `ci` as it is, or why it cannot be re-added. -/
def replayDecl (ci : ConstantInfo) : Except String Declaration :=
  match ci with
  | .thmInfo v => .ok (.thmDecl v)
  | .defnInfo v =>
    if v.safety != .safe then .error ("the proof made a non-safe definition " ++ v.name.toString false)
    else .ok (.defnDecl v)
  | .opaqueInfo v =>
    if v.isUnsafe then .error ("the proof made an unsafe constant " ++ v.name.toString false)
    else .ok (.opaqueDecl v)
  | .axiomInfo v => .error ("the proof declared an axiom " ++ v.name.toString false)
  | _ => .error ("the proof made an unexpected kind of declaration " ++ ci.name.toString false)

/-- Re-check every new constant with the kernel, dependencies first, starting from `kenv`: the kernel
environment as it was before the proof was read (nothing the proof's elaboration did is in it). -/
def replayAll (after : Environment) (kenv : Kernel.Environment) (opts : Options) : List Name → Except String Unit
  | [] => .ok ()
  | c :: rest =>
    match after.find? c with
    | none => .error ("missing declaration " ++ c.toString false)
    | some ci =>
      match replayDecl ci with
      | .error e => .error e
      | .ok d =>
        match kenv.addDecl opts d with
        | .error _ => .error ("the kernel rejected " ++ c.toString false ++ " when it was re-checked")
        | .ok k => replayAll after k opts rest

/-- Split what `collectAxioms` reports into real axioms and imported body-less constants. The embedded build
ships only the exported view of core, where imported theorems appear as body-less stubs: those are trusted
leaves, except the banned ones. -/
def classify (env : Environment) : List Name → List Name → List Name → List Name × List Name
  | [], axs, stubs => (axs, stubs)
  | a :: rest, axs, stubs =>
    let imported := (env.getModuleIdxFor? a).isSome
    let realAxiom := match getOriginalConstKind? env a with
      | some .axiom => true
      | none => !imported
      | some _ => false
    if imported && !realAxiom then
      classify env rest axs (if isBannedStub a then a :: stubs else stubs)
    else classify env rest (a :: axs) stubs

def oldOnly (before : Environment) : List Name → List Name
  | [] => []
  | d :: ds => if (before.find? d).isSome then d :: oldOnly before ds else oldOnly before ds

/-- Constants that existed before the proof and that the new constants use: the kernel dependencies of the
proof. -/
def usesOf (before after : Environment) : List Name → List Name
  | [] => []
  | c :: rest =>
    let own := match after.find? c with
      | some ci => oldOnly before (depsOf ci)
      | none => []
    appendNames own (usesOf before after rest)

def resolve (env : Environment) (n : Name) : Name :=
  if (env.find? n).isSome then n else mkPrivateName env n

mutual
/-- Local constants of `after` that `before` lacks and that are neither owned by `root` nor auxiliary
declarations Lean derives from an existing constant (equation lemmas, `match` splitters...). -/
partial def strayNode (before : Environment) (root : Name)
    (node : PersistentHashMap.Node Name ConstantInfo) (acc : List Name) : List Name :=
  match node with
  | .entries es => strayEntries before root es 0 acc
  | .collision ks _ _ => strayKeys before root ks 0 acc
partial def strayEntries (before : Environment) (root : Name)
    (es : Array (PersistentHashMap.Entry Name ConstantInfo (PersistentHashMap.Node Name ConstantInfo)))
    (i : Nat) (acc : List Name) : List Name :=
  if h : i < es.size then
    let acc := match es[i] with
      | .entry k _ => strayKey before root k acc
      | .ref n => strayNode before root n acc
      | .null => acc
    strayEntries before root es (i + 1) acc
  else acc
partial def strayKeys (before : Environment) (root : Name) (ks : Array Name) (i : Nat) (acc : List Name) :
    List Name :=
  if h : i < ks.size then strayKeys before root ks (i + 1) (strayKey before root ks[i] acc) else acc
/-- `k` is new, not the target's, and not derived from a constant that existed before (such as the equation
lemma `f.eq_1` that `simp [f]` realizes for a definition `f` of the context). -/
partial def strayKey (before : Environment) (root : Name) (k : Name) (acc : List Name) : List Name :=
  if (before.find? k).isSome || root.isPrefixOf k || (before.find? k.getPrefix).isSome then acc else k :: acc
end

/-! ## One obligation -/

def verdictLine (nonce : String) (index : Nat) (body : String) : IO Unit :=
  IO.println ("AXVERDICT-" ++ nonce ++ " {" ++ field "index" (toString index) ++ "," ++ body ++ "}")

def stageOnly (stage error : String) : String :=
  field "stage" ("\"" ++ stage ++ "\"") ++ "," ++ field "error" error.quote

def parseTerm (env : Environment) (text name : String) : Except String Syntax :=
  Parser.runParserCategory env `term text name

/-- Judge one obligation; print exactly one verdict line. -/
def check (nonce : String) (index : Nat) (heartbeats : Nat) (statement proof : String) :
    CommandElabM Unit := do
  let env ← getEnv
  let target := "AxTarget_" ++ nonce ++ "_" ++ toString index
  let reference := "AxRef_" ++ nonce ++ "_" ++ toString index
  match parseTerm env statement "<statement>" with
  | .error e => verdictLine nonce index (stageOnly "statement" e)
  | .ok s =>
  match scan s with
  | some b => verdictLine nonce index (stageOnly "statement" ("forbidden in a statement: " ++ b))
  | none =>
  match parseTerm env proof "<proof>" with
  | .error e => verdictLine nonce index (stageOnly "parse" e)
  | .ok p =>
  match scan p with
  | some b => verdictLine nonce index (stageOnly "forbidden" b)
  | none =>
  let refText := "set_option autoImplicit false in\naxiom _root_." ++ reference ++ " : axiomaticStatementHole"
  let thmText := "set_option autoImplicit false in\nset_option Elab.async false in\nset_option maxHeartbeats " ++
    toString heartbeats ++ " in\ntheorem _root_." ++ target ++ " : axiomaticStatementHole := axiomaticProofHole"
  match Parser.runParserCategory env `command refText "<harness>",
        Parser.runParserCategory env `command thmText "<harness>" with
  | .ok refSkel, .ok thmSkel =>
    -- the reference: the statement elaborated on its own, positions against the statement's text
    let refCmd := replaceHole `axiomaticStatementHole s (stripInfo refSkel)
    let (refMsgs, refEnv) ← elabIsolated statement "<statement>" refCmd
    if hasError refMsgs then
      verdictLine nonce index (field "stage" "\"statement\"" ++ "," ++
        field "messages" ("[" ++ (← messagesJson refMsgs) ++ "]"))
    else
    -- the candidate: our theorem command around the parsed proof, positions against the proof's text
    let thmCmd := replaceHole `axiomaticProofHole p (replaceHole `axiomaticStatementHole (stripInfo s) (stripInfo thmSkel))
    let (msgs, after) ← elabIsolated proof "<proof>" thmCmd
    let head := field "stage" "\"checked\"" ++ "," ++ field "messages" ("[" ++ (← messagesJson msgs) ++ "]")
    let tn := resolve after (Name.mkSimple target)
    let rn := resolve refEnv (Name.mkSimple reference)
    match after.find? tn, refEnv.find? rn with
    | some (.thmInfo ti), some ri =>
      let same := ti.type == ri.type && ti.levelParams == ri.levelParams
      let (_, rev) := newClosure env after tn {} []
      let order := reverseNames rev []
      -- the kernel re-checks everything the proof added, in the environment as it was before the proof
      let replay := match replayAll after env.toKernelEnv {} order with
        | .ok _ => "null"
        | .error e => e.quote
      let stray := strayNode env tn after.constants.map₂.root []
      -- Lean's own axiom collector, run on the environment the proof left (then put back)
      setEnv after
      let found ← collectAxioms tn
      setEnv env
      let (axs, stubs) := classify after found.toList [] []
      verdictLine nonce index (head ++ "," ++ field "kind" "\"thm\"" ++ "," ++
        field "same_type" (toString same) ++ "," ++ field "replay_error" replay ++ "," ++
        field "new" (toString (countNames order)) ++ "," ++ field "stray" ("[" ++ joinQuoted stray ++ "]") ++
        "," ++ field "axioms" ("[" ++ joinQuoted axs ++ "]") ++ "," ++
        field "imported_bodyless" ("[" ++ joinQuoted stubs ++ "]") ++ "," ++
        field "uses" ("[" ++ joinQuoted (usesOf env after order) ++ "]"))
    | some _, _ => verdictLine nonce index (head ++ "," ++ field "kind" "\"other\"")
    | none, _ => verdictLine nonce index (head ++ "," ++ field "kind" "\"missing\"")
  | _, _ => verdictLine nonce index (stageOnly "harness" "the harness could not parse its own commands")

end AxiomaticHarness
