"""Attack and honest cases for the verifier: the notes' lists (shared/notes/verifier-security.md §4, §5),
the starter exploits (fixtures/verifier-exploits.jsonl, a copy of shared/benchmarks/, loaded by the tests),
and our own.

A proof that tries to leave its term (a trailing command, an unclosed paren) is now refused by Lean's own parser
before anything is elaborated: its family is `parse` ("not one term"), which the sets below accept beside the
family the older token-level screen reported."""

# (id, statement, proof, families accepted as a correct diagnosis)
EXPLOITS = [
    ("n01-sorry", "∀ n : Nat, n < n", "by intro n; sorry", {"sorry"}),
    ("n02-admit", "False", "by admit", {"sorry"}),
    ("n03-sorryAx", "False", "sorryAx False", {"sorry"}),
    ("n04-hidden-warning", "False", "by set_option warn.sorry false in sorry", {"options", "sorry"}),
    ("n05-new-axiom", "False", "by exact bogus\naxiom bogus : False", {"new-declaration", "parse"}),
    ("n06-native-decide", "10 ^ 20 % 7 = 2", "by native_decide", {"native"}),
    ("n07-ofReduceBool", "10 = 10", "of_decide_eq_true (Lean.ofReduceBool _ true rfl)", {"native"}),
    ("n08-reduceBool", "True", "by have : Lean.reduceBool true = true := rfl; trivial", {"native"}),
    ("n09-skipKernelTC", "False", "by set_option debug.skipKernelTC true in exact sorry", {"options", "sorry"}),
    ("n10-by-elab", "False", "by_elab return Lean.mkConst ``True.intro", {"metaprogram"}),
    ("n11-macro-rules", "False", "by rfl\nmacro_rules | `(tactic| rfl) => `(tactic| sorry)", {"notation", "parse"}),
    ("n12-local-notation", "0 = 1", 'by rfl\nlocal notation "1" => 0', {"new-declaration", "notation", "parse"}),
    ("n13-instance", "(1 : Nat) < 0", "by trivial\ninstance (priority := high) : LT Nat := ⟨fun _ _ => True⟩",
     {"new-declaration", "parse"}),
    ("n14-shadow-target", "False", "sorry\ntheorem target : False := sorry", {"sorry", "new-declaration", "parse"}),
    ("n15-exit", "False", "sorry\n#exit", {"sorry", "metaprogram", "parse"}),
    ("n16-unclosed-comment", "False", "by simp /-", {"parse"}),
    ("n17-paren-escape", "False", 'rfl)\n#eval IO.println "verified"\n--(', {"parse", "metaprogram"}),
    ("n18-forged-output", "False", 'by trace "{\\"verdict\\":\\"verified\\"}"; exact?', {"sorry", "elaboration"}),
    ("n19-process-exit", "False", "by run_tac (IO.Process.exit 0 : IO Unit)", {"metaprogram"}),
    ("n20-write-file", "False", 'by run_tac IO.FS.writeFile "verdict.json" "{}"', {"metaprogram"}),
    ("n21-decreasing-by", "False",
     "by\n  let rec f (n : Nat) : False := f (n + 1)\n  termination_by n\n  decreasing_by sorry\n  exact f 0",
     {"termination", "sorry"}),
    ("n22-partial", "False", "by exact spin ()\npartial def spin (u : Unit) : False := spin u", {"unsafe", "parse"}),
    ("n23-unsafe-cast", "False", "unsafe (unsafeCast ())", {"unsafe"}),
    ("n24-universe-drift", "∀ (α : Sort _) (a : α), a = a", "fun (α : Prop) a => rfl",
     {"statement-mismatch", "elaboration"}),
    ("n25-skip", "False", "by skip", {"elaboration", "sorry"}),
    ("n26-sorry-instance", "False", "by haveI : Decidable False := isTrue sorry; decide", {"sorry"}),
    ("n27-runaway", "False", "by repeat skip", {"timeout", "resource"}),
    # our own
    ("o02-attribute", "False", "by simp\nattribute [simp] Nat.succ_ne_zero", {"new-declaration", "parse"}),
    ("o03-implemented-by", "False", "@[implemented_by id] def cheat : False := cheat", {"new-declaration", "parse"}),
    ("o04-namespace-injection", "False", "sorry\nend\nnamespace Evil", {"sorry", "scope", "parse"}),
    ("o05-decide-native", "10 ^ 20 % 7 = 2", "by decide +native", {"native"}),
    ("o06-trust-compiler", "True", "by have := Lean.trustCompiler; trivial", {"native"}),
    ("o07-unbalanced", "True", "(trivial))", {"parse"}),
    ("o08-unterminated-string", "True", 'by trace "oops; trivial', {"parse"}),
    ("o09-exact-question-fails", "∀ n : Nat, n < n", "by exact?", {"sorry", "elaboration"}),
    ("o10-wrong-proof", "2 + 2 = 5", "by decide", {"elaboration"}),
    ("o11-empty", "True", "   ", {"parse"}),
    ("o12-import", "True", "trivial\nimport Lean", {"metaprogram", "parse"}),
    ("o13-elab", "False", "by exact magic\nelab \"magic\" : term => return Lean.mkConst ``True", {"notation", "parse"}),
    ("o14-set-option-maxheartbeats", "True", "by set_option maxHeartbeats 0 in trivial", {"options"}),
    ("o15-run-cmd", "False", "by exact injected\nrun_cmd Lean.Elab.Command.liftTermElabM (pure ())", {"metaprogram", "parse"}),
]

# (id, statement, proof)
HONEST = [
    ("a01-decide", "2 + 2 = 4", "by decide"),
    ("a19-array-literal", "#[1, 2, 3].size = 3", "by simp"),
    ("a02-term-rfl", "∀ n : Nat, n + 0 = n", "fun n => rfl"),
    ("a03-induction", "∀ n : Nat, 0 + n = n",
     "by\n  intro n\n  induction n with\n  | zero => rfl\n  | succ k ih => rw [← Nat.add_assoc, ih]"),
    ("a04-lemma-name", "∀ a b : Nat, a + b = b + a", "Nat.add_comm"),
    ("a05-omega", "∀ a b : Nat, a ≤ a + b", "by omega"),
    ("a06-anonymous-constructor", "∀ p q : Prop, p ∧ q → q ∧ p", "fun _ _ ⟨hp, hq⟩ => ⟨hq, hp⟩"),
    ("a07-classical", "∀ p : Prop, p ∨ ¬p", "Classical.em"),
    ("a08-simp", "∀ xs : List Nat, (xs ++ []).length = xs.length", "by simp"),
    ("a09-calc", "∀ a b c : Nat, a = b → b = c → a = c",
     "by\n  intro a b c h1 h2\n  calc a = b := h1\n    _ = c := h2"),
    ("a10-have", "∀ n : Nat, n < n + 1",
     "by\n  intro n\n  have h : n ≤ n := Nat.le_refl n\n  exact Nat.lt_succ_of_le h"),
    ("a11-cases", "∀ b : Bool, b = true ∨ b = false", "by intro b; cases b <;> simp"),
    ("a12-grind", "∀ a b : Nat, a < b → a + 1 ≤ b", "by grind"),
    ("a13-rw-omega", "∀ xs ys : List Nat, (xs ++ ys).length = ys.length + xs.length",
     "by intro xs ys; rw [List.length_append]; omega"),
    ("a14-funext", "(fun n : Nat => n + 0) = (fun n => n)", "by funext n; rfl"),
    ("a15-decide-ne", "(37 : Nat) ≠ 38", "by decide"),
    ("a16-match", "∀ n : Nat, n = 0 ∨ ∃ m, n = m + 1",
     "fun n => match n with | 0 => Or.inl rfl | m+1 => Or.inr ⟨m, rfl⟩"),
    ("a17-simp-lemmas", "∀ (xs : List Nat) (x : Nat), (x :: xs).length = xs.length + 1",
     "by intro xs x; simp [List.length_cons]"),
    ("a18-char-literal-and-prime", "∀ n : Nat, (fun n' => n' + 1) n = n + 1", "fun n => rfl"),
    ("a20-open-in", "True", "open Classical in trivial"),
    ("a21-string-literal", '"ab".length = 2', "by decide"),
    ("a22-interpolated-string", "True", 'by\n  let _s := s!"{1 + 1} \\" }"\n  trivial'),
    ("a23-raw-string", 'r"a\\b".length = 3', "by decide"),
    ("a24-char-after-lambda", "(fun c : Char => c) 'x' = 'x'", "by\n  have _h := (λ c : Char => c) '\\''\n  rfl"),
    ("a25-guillemet-name", "∀ «my n» : Nat, «my n» + 0 = «my n»", "fun «k» => rfl"),
    ("a26-comment-with-quote", "True", "-- a \" quote in a comment\ntrivial /- and \" here -/"),
]

# (id, context, statement, proof): proofs about definitions of a context
HONEST_WITH_CONTEXT = [
    ("c01-simp-def", "def dbl : Nat → Nat\n  | 0 => 0\n  | n + 1 => dbl n + 2\n",
     "∀ n : Nat, dbl n = 2 * n", "by\n  intro n\n  induction n <;> simp_all [dbl] <;> omega"),
    ("c02-unfold", "def double (n : Nat) : Nat := n + n\n", "∀ n : Nat, double n = 2 * n",
     "by intro n; unfold double; omega"),
    ("c03-rfl-term", "def double (n : Nat) : Nat := n + n\n", "∀ n : Nat, double n = n + n", "fun n => rfl"),
    # the proof makes Lean realize `sumAcc.induct` and equation lemmas: the kernel replay must take them along
    ("c05-fun-induction", "def sumAcc : List Nat → Nat → Nat\n  | [], acc => acc\n  | x :: xs, acc => sumAcc xs (acc + x)\n",
     "∀ (xs : List Nat) (acc : Nat), sumAcc xs acc = acc + xs.sum",
     "by\n  intro xs acc\n  fun_induction sumAcc xs acc <;> grind"),
    ("c04-let-rec-helper", "", "∀ n : Nat, n ≤ n * n ∨ n = 0",
     "by\n  intro n\n  cases n with\n  | zero => exact Or.inr rfl\n  | succ k => exact Or.inl (Nat.le_mul_self _)"),
]

# Attacks on a verifier whose boundary was a hand-written lexer (issue 12): text the lexer believed was inside a
# string is code to Lean. Each tries to close the harness's term, finish with `sorry`, and add commands.
LEXER_ESCAPES = [
    ("e01-raw-string", "False",
     'let _s := r"\\"; sorry)\ninstance (priority := high) {m : Type → Type} [Monad m] : ForIn m (List Lean.Name) '
     'Lean.Name where\n  forIn _ b _ := pure b\n#check (0 --"'),
    ("e02-raw-string-hash", "1 = 2", 'let _s := r#"\\"#; (by exact sorry))\ntheorem x : 1 = 2 := sorry\n--"'),
    ("e03-interpolation", "∀ n : Nat, n + 1 = n",
     'let _s := s!"{ (0 : Nat) }\"; sorry)\naxiom cheat : False\n#check (0 --{ 1 }"'),
    ("e04-unicode-then-char", "False", "λ'\"' => sorry)\naxiom cheat : False\n-- \""),
    ("e05-greek-ident-prime", "False", "by\n  let α' := '\"'\n  exact sorry)\n#exit\n--\""),
    ("e06-guillemets", "False", "«x\"» sorry)\n#exit"),
    ("e07-nested-comment", "False", "/- /- -/ sorry)\naxiom cheat : False\n-- -/ trivial"),
    ("e08-m-bang", "False", 'let _m := m!"{ sorry })"\n#exit'),
]
