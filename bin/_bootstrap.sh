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
  "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2 || true
  "$VENV/bin/python" -m pip install --quiet -e "$ROOT[test]" >&2
  echo "$want" > "$STAMP"
fi
# litellm would otherwise download a model-price map at import time
export LITELLM_LOCAL_MODEL_COST_MAP="${LITELLM_LOCAL_MODEL_COST_MAP:-True}"
