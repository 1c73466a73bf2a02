#!/usr/bin/env bash
# Runs one Jazzer.js fuzzer of fuzz/ (safetensors, idx or nested) for a bounded time:
#   fuzz/run-js.sh safetensors 180        (seconds; default 180)
# It compiles lib/ to CommonJS in /tmp/torch-node-fuzz/js (outside the repo), uses the addon in
# build/ (or $TORCH_NODE_ADDON), and Jazzer.js from $JAZZER_DIR (default /tmp/jazzer; see
# fuzz/README.md for installing it). Findings land in /tmp/torch-node-fuzz/<name>-crashes/.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
name=$1
seconds=${2:-180}
work=/tmp/torch-node-fuzz
jazzer=${JAZZER_DIR:-/tmp/jazzer}
export TORCH_NODE_JS=$work/js
export TORCH_NODE_ADDON=${TORCH_NODE_ADDON:-$repo/build/Release/torch_node.node}
ln -sfn "$repo/node_modules" "$work/node_modules"  # the compiled lib/ finds its dependencies
(cd "$repo" && nice npx tsc -p tsconfig.json --outDir "$TORCH_NODE_JS" --declaration false)
mkdir -p "$work/$name-corpus" "$work/$name-crashes"
dict=()
[ -f "$repo/fuzz/$name.dict" ] && dict=(-dict="$repo/fuzz/$name.dict")
cd "$jazzer"
nice npx jazzer "$repo/fuzz/$name.fuzz.js" "$work/$name-corpus" "$repo/fuzz/corpus/$name" --sync \
  -i "$TORCH_NODE_JS/" -- -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/$name-crashes/" -print_final_stats=1 "${dict[@]}"
