#!/usr/bin/env bash
# Builds the addon with AddressSanitizer (gcc's libasan) into /tmp/torch-node-asan, outside
# build/, from the same CMakeLists, then runs vitest against that build (TORCH_NODE_ADDON) with
# libasan preloaded (node itself is not instrumented). Leak detection is off: V8 and libtorch
# keep allocations until exit by design. Any ASan report fails the run.
#   scripts/asan-run.sh                      the native-heavy test files
#   scripts/asan-run.sh tests/ops.test.ts    given files (or `all` for the whole suite)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${ASAN_BUILD:-/tmp/torch-node-asan}
libtorch=${LIBTORCH:-$(node -p "require('$repo/build/libtorch.json').root")}
cd "$repo"

nice npx cmake-js build --out "$out" --CDLIBTORCH="$libtorch" \
  --CDCMAKE_CXX_FLAGS="-fsanitize=address -fno-omit-frame-pointer -g" \
  --CDCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address" >"$out.build.log" 2>&1 || { tail -30 "$out.build.log"; exit 1; }
ln -sfn "$libtorch/lib" "$out/Release/libtorch"  # the addon's RUNPATH is $ORIGIN/libtorch

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=(tests/serialization.test.ts tests/untrusted-files.test.ts tests/memory.test.ts tests/async.test.ts
    tests/threads.test.ts tests/autograd.test.ts tests/autograd-function.test.ts tests/creation.test.ts
    tests/indexing.test.ts tests/ops.test.ts tests/jit.test.ts tests/safetensors.test.ts tests/bad-input.test.ts
    tests/optim.test.ts tests/nn.test.ts tests/data.test.ts)
elif [ "${files[0]}" = all ]; then
  files=()
fi

report=$(mktemp -d /tmp/torch-node-asan-report.XXXXXX)
export TORCH_NODE_ADDON="$out/Release/torch_node.node"
export LD_PRELOAD="$(gcc -print-file-name=libasan.so)"
# handle_segv=0: V8 handles its own SIGSEGVs (WebAssembly trap handling).
export ASAN_OPTIONS="detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:detect_odr_violation=0:log_path=$report/asan"
status=0
nice npx vitest run --testTimeout=300000 "${files[@]}" || status=$?  # ASan runs 2-3x slower
if compgen -G "$report/asan*" >/dev/null; then
  echo "AddressSanitizer reports (in $report):"
  grep -h -A30 "ERROR: AddressSanitizer" "$report"/asan* | head -200
  exit 1
fi
echo "asan-run: no AddressSanitizer report; vitest exit status $status"
exit $status
