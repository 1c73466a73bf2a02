#!/usr/bin/env bash
# On the lent GPU machine (CUDA, CMake, ninja, a CUDA PyTorch in /opt/torch/.venv; no Node, no
# network): unpack what scripts/prepare-device.mjs put in .device/, build the addon against that
# PyTorch's libtorch with cmake-js (scripts/install.mjs), run the CUDA checks (the plain-Node
# scripts/device-tests.mjs, then vitest's tests/cuda.test.ts and, time allowing, the whole
# suite), then the per-op benchmark. Logs go to $OUT: summary.txt, nvidia-smi.txt, build.log,
# tests.log, pacing.log, bench.log, RESULTS.md. Every step runs even when one
# before it failed; the summary comes last.
#
# Device tool:  run(command: "bash scripts/device-run.sh", carry: [".device"], timeout_s: 600)
# Env: OUT (default /tmp/device-out), TORCH_NODE_DEVICE_VENV (default /opt/torch/.venv),
#      DEVICE_BUDGET_S (default 540: the later steps shrink or skip to end inside it),
#      DEVICE_FULL_TESTS=0 (skip the whole vitest suite), DEVICE_PACING_ROUNDS (default 3),
#      DEVICE_BENCH=0 (skip bench/run.mjs), BENCH_SCALE (default 1),
#      TORCH_NODE_DEVICE_WORK (where node is unpacked; default /tmp/torch-node-device).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
OUT=${OUT:-/tmp/device-out}
mkdir -p "$OUT"
VENV=${TORCH_NODE_DEVICE_VENV:-/opt/torch/.venv}
WORK=${TORCH_NODE_DEVICE_WORK:-/tmp/torch-node-device}
BUDGET=${DEVICE_BUDGET_S:-540}
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
START=$SECONDS
elapsed() { echo $((SECONDS - START)); }
left() { echo $((BUDGET - (SECONDS - START))); }
note() { echo "$*" | tee -a "$SUMMARY"; }
step() { echo; echo "=== [$(elapsed)s] $*"; }
# Runs "$@" with a time limit (seconds, first argument), output appended to a log (second).
timed() { local limit=$1 logf=$2; shift 2; timeout -k 10 "$limit" "$@" >>"$logf" 2>&1; }

note "device-run: $(date -u +%FT%TZ), $(hostname), $(nproc) CPUs, repo $ROOT"

# ---- GPU ----
step "nvidia-smi"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >>"$OUT/nvidia-smi.txt" 2>&1
  note "gpu: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1)"
else
  echo "nvidia-smi not found" >"$OUT/nvidia-smi.txt"
  note "gpu: nvidia-smi not found"
fi

# ---- Python / libtorch ----
step "python and libtorch ($VENV)"
PY=$VENV/bin/python
[ -x "$PY" ] || PY=$VENV/bin/python3
LIBTORCH=
if [ -x "$PY" ]; then
  info=$("$PY" -c 'import torch, os; print(torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available()); print(os.path.dirname(torch.__file__))' 2>&1)
  if [ "$(echo "$info" | wc -l)" = 2 ] && [ -d "$(echo "$info" | tail -1)" ]; then
    LIBTORCH=$(echo "$info" | tail -1)
    note "python: $PY, torch $(echo "$info" | head -1)"
  else
    note "python: $PY cannot import torch: $(echo "$info" | tail -1)"
  fi
else
  note "python: none at $VENV/bin/python (set TORCH_NODE_DEVICE_VENV)"
fi
if [ -n "$LIBTORCH" ]; then note "libtorch: $LIBTORCH"; else note "libtorch: NOT FOUND (the build will fail)"; fi
export LIBTORCH
# cmake and ninja: the system's first, then the venv's (pip's cmake/ninja live there)
export PATH="$PATH:$VENV/bin"

# ---- unpack .device: node, node_modules, dist ----
step "unpack .device"
unxz() { # file -> stdout, with xz or gzip, or Python's lzma where xz is missing
  case "$1" in
    *.xz) if command -v xz >/dev/null; then xz -dc "$1"; else "$PY" -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), sys.stdout.buffer)' "$1"; fi ;;
    *.gz) gzip -dc "$1" ;;
  esac
}
mkdir -p "$WORK/bin"
NODE_OK=0
node_src=$(ls .device/node.xz .device/node.gz 2>/dev/null | head -1)
if [ -n "$node_src" ] && unxz "$node_src" >"$WORK/bin/node.part" && chmod +x "$WORK/bin/node.part" && mv "$WORK/bin/node.part" "$WORK/bin/node"; then
  export PATH="$WORK/bin:$PATH"
  if node --version >/dev/null 2>&1; then NODE_OK=1; fi
fi
tree_src=$(ls .device/tree.tar.xz .device/tree.tar.gz 2>/dev/null | head -1)
TREE_OK=0
if [ -n "$tree_src" ] && unxz "$tree_src" | tar -x -f - -C "$ROOT"; then TREE_OK=1; fi
if [ $NODE_OK = 1 ]; then note "node: $(command -v node) $(node --version)"; else note "node: FAILED to unpack ${node_src:-.device/node.xz (missing: run node scripts/prepare-device.mjs, carry .device)}"; fi
if [ $TREE_OK = 1 ]; then note "tree: unpacked $tree_src (node_modules: $(ls node_modules | wc -l) entries, dist/cjs/index.js $( [ -f dist/cjs/index.js ] && echo present || echo MISSING))"
else note "tree: FAILED to unpack ${tree_src:-.device/tree.tar.xz (missing)}"; fi
echo "unpacked in $(elapsed)s"

# ---- build ----
step "build (node scripts/install.mjs, LIBTORCH=$LIBTORCH)"
BUILD=FAILED
: >"$OUT/build.log"
if [ $NODE_OK = 1 ]; then
  {
    echo "cmake: $(command -v cmake) $(cmake --version 2>&1 | head -1)"
    echo "ninja: $(command -v ninja || echo none) $(ninja --version 2>/dev/null)"
    echo "c++: $(c++ --version 2>&1 | head -1)"
  } >>"$OUT/build.log"
  t0=$SECONDS
  # No network there: never let install.mjs try the download or pip fallbacks.
  if timed 420 "$OUT/build.log" env TORCH_NODE_NO_DOWNLOAD=1 TORCH_NODE_NO_PIP=1 \
      CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" node scripts/install.mjs; then
    BUILD=ok
  fi
  {
    echo; echo "--- ldd build/Release/torch_node.node"
    ldd build/Release/torch_node.node 2>&1 | grep -E 'torch|c10|cuda|not found'
    echo "--- build/libtorch.json"; cat build/libtorch.json 2>&1
  } >>"$OUT/build.log"
  note "build: $BUILD in $((SECONDS - t0))s (build.log)"
  [ $BUILD = ok ] || tail -25 "$OUT/build.log"
else
  echo "no node: build skipped" >>"$OUT/build.log"
  note "build: SKIPPED (no node)"
fi

# ---- CUDA checks ----
step "CUDA checks"
: >"$OUT/tests.log"
if [ $BUILD = ok ]; then
  {
    echo "### node --expose-gc scripts/device-tests.mjs"
    node -e "const t=require('./dist/cjs/index.js'); console.log('cuda.isAvailable()', t.cuda.isAvailable(), 'deviceCount()', t.cuda.deviceCount(), 'reason', JSON.stringify(t.cuda.unavailableReason()))"
  } >>"$OUT/tests.log" 2>&1
  timed 180 "$OUT/tests.log" node --expose-gc scripts/device-tests.mjs
  rc=$?
  line=$(grep -E '^[0-9]+ passed, ' "$OUT/tests.log" | tail -1)
  note "device-tests.mjs: ${line:-no summary line} (exit $rc)"
  grep -E '^FAIL ' "$OUT/tests.log" | head -5 | cut -c1-300

  VITEST=node_modules/vitest/vitest.mjs
  if [ -f "$VITEST" ]; then
    echo -e "\n### vitest run tests/cuda.test.ts" >>"$OUT/tests.log"
    t0=$SECONDS
    timed 120 "$OUT/tests.log" env NO_COLOR=1 node "$VITEST" run tests/cuda.test.ts --reporter=verbose
    rc=$?
    note "vitest tests/cuda.test.ts: $(grep -E '^ +Tests ' "$OUT/tests.log" | tail -1 | sed 's/^ *//') (exit $rc, $((SECONDS - t0))s)"
    # The whole suite against the CUDA libtorch, if there is time left for it and the bench;
    # less tests/types.test.ts, which needs typescript's tsc (a native binary, not carried).
    if [ "${DEVICE_FULL_TESTS:-1}" != 0 ] && [ "$(left)" -gt 240 ]; then
      limit=$(( $(left) - 150 )); [ $limit -gt 240 ] && limit=240
      echo -e "\n### vitest run --exclude tests/types.test.ts (the whole suite, limit ${limit}s)" >>"$OUT/tests.log"
      t0=$SECONDS
      timed $limit "$OUT/tests.log" env NO_COLOR=1 node "$VITEST" run --exclude tests/types.test.ts
      rc=$?
      note "vitest whole suite: $(grep -E '^ +(Test Files|Tests) ' "$OUT/tests.log" | tail -2 | sed 's/^ *//' | paste -sd';' -) (exit $rc$([ $rc = 124 ] && echo ': TIMED OUT'), $((SECONDS - t0))s)"
      grep -E '^ +(FAIL|×) ' "$OUT/tests.log" | head -10
    else
      note "vitest whole suite: skipped (DEVICE_FULL_TESTS=0 or $(left)s left)"
    fi
  else
    note "vitest: not carried (node_modules/vitest missing)"
  fi
else
  echo "build failed: CUDA checks skipped" >>"$OUT/tests.log"
  note "CUDA checks: SKIPPED (no addon)"
fi

# ---- GC pacing A/B (lib/gc-pacing.ts): the per-op figures with pacing off and on, interleaved,
# beside PyTorch's, on this host's CPU; first, so a short budget still gets it ----
step "GC pacing A/B (bench/perop.mjs, TORCH_NODE_GC_PACING=0 vs default; bench/perop.py)"
: >"$OUT/pacing.log"
if [ $BUILD = ok ] && [ "${DEVICE_PACING_AB:-1}" != 0 ]; then
  t0=$SECONDS
  for round in $(seq 1 "${DEVICE_PACING_ROUNDS:-3}"); do
    [ "$(left)" -gt 45 ] || break
    for pacing in 0 default; do
      echo "round $round pacing=$pacing $(timed 60 /dev/stdout env TORCH_NODE_GC_PACING=$([ $pacing = 0 ] && echo 0) \
        TORCH_NODE_BENCH_MODULE="$ROOT/dist/cjs/index.js" node --expose-gc bench/perop.mjs 0.5)" >>"$OUT/pacing.log"
    done
    [ -n "$LIBTORCH" ] && echo "round $round python $(timed 90 /dev/stdout "$PY" bench/perop.py 0.5)" >>"$OUT/pacing.log"
  done
  note "pacing A/B: $(grep -c '^round' "$OUT/pacing.log") runs in $((SECONDS - t0))s (pacing.log)"
  grep '^round' "$OUT/pacing.log" | sed -E 's/"cpu".*//' | cut -c1-230 | tee -a "$SUMMARY"
else
  note "pacing A/B: SKIPPED"
fi

# ---- bench ----
step "bench (bench/run.mjs)"
: >"$OUT/bench.log"
if [ "${DEVICE_BENCH:-1}" = 0 ]; then
  note "bench: SKIPPED (DEVICE_BENCH=0)"
elif [ $NODE_OK = 1 ] && [ -n "$LIBTORCH" ]; then
  bench_args=()
  if ! command -v cmake >/dev/null; then bench_args+=(--no-cpp); echo "no cmake: --no-cpp" >>"$OUT/bench.log"; fi
  [ $BUILD = ok ] || bench_args+=(--no-node)
  limit=$(( $(left) - 15 )); [ $limit -gt 300 ] && limit=300
  if [ $limit -lt 30 ]; then
    note "bench: SKIPPED (only $(left)s left)"
  else
    t0=$SECONDS
    # TORCH_NODE_BENCH_MODULE: the carried dist/ as it is (there is no tsc there to recompile it)
    timed $limit "$OUT/bench.log" env TORCH_NODE_PYTHON="$PY" TORCH_NODE_BENCH_MODULE="$ROOT/dist/cjs/index.js" \
      node --expose-gc bench/run.mjs ${bench_args[@]+"${bench_args[@]}"}
    rc=$?
    cp bench/RESULTS.md "$OUT/RESULTS.md" 2>/dev/null
    note "bench: exit $rc$([ $rc = 124 ] && echo ' (TIMED OUT)') in $((SECONDS - t0))s${bench_args[*]:+ (${bench_args[*]})} (bench.log, RESULTS.md)"
    sed -n '/^workload/,/^$/p' "$OUT/bench.log" | tee -a "$SUMMARY"
    grep -A4 '^Missing columns' "$OUT/bench.log" | tee -a "$SUMMARY"
  fi
else
  note "bench: SKIPPED (no node or no libtorch)"
fi

echo
note "total: $(elapsed)s"
echo "===== summary ($OUT/summary.txt) ====="
cat "$SUMMARY"
