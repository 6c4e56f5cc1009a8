/-!
# Axiomatic: Lean-side helpers

Core-only (no Mathlib), so every file here also elaborates on the embedded WebAssembly Lean 4.28.0-pre that
axiomatic installs on machines without a native toolchain.
-/

namespace Axiomatic

/-- Python's `//` on integers: floor division (rounds toward negative infinity). -/
def pyFloorDiv (a b : Int) : Int := Int.fdiv a b

/-- Python's `%` on integers: the remainder has the sign of the divisor. -/
def pyMod (a b : Int) : Int := Int.fmod a b

theorem pyFloorDiv_mod (a b : Int) : pyFloorDiv a b * b + pyMod a b = a := by
  unfold pyFloorDiv pyMod
  rw [Int.mul_comm]
  exact Int.mul_fdiv_add_fmod a b

end Axiomatic
