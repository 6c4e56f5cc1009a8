# Sourced by bin/axiomatic and bin/test: make sure .venv exists and matches pyproject.toml.
# Set-up is part of every entry point, so a fresh machine needs nothing but python3 (and node/npm for the
# embedded Lean, which axiomatic installs itself on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.axiomatic-stamp"
want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  echo "axiomatic: preparing $VENV (one-time)" >&2
  python3 -m venv "$VENV"
  log="$VENV/.axiomatic-install.log"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >"$log" 2>&1 || true
  # pip's build chatter goes to a log; it is shown only when the install fails
  if ! "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]" >>"$log" 2>&1; then
    cat "$log" >&2
    echo "axiomatic: installing the Python environment failed (log: $log)" >&2
    exit 3
  fi
  echo "$want" > "$STAMP"
fi
# litellm would otherwise download a model-price map at import time
export LITELLM_LOCAL_MODEL_COST_MAP="${LITELLM_LOCAL_MODEL_COST_MAP:-True}"
