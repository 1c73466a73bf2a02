#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ with clang (Debian: clang-14 libclang-rt-14-dev) and
# AddressSanitizer into $OUT (default /tmp/torch-node-fuzz), outside the repository, against
# the libtorch the normal build uses (build/libtorch.json, or $LIBTORCH).
#   fuzz/build.sh && /tmp/torch-node-fuzz/pickle_load_fuzzer -max_total_time=600 ...  (see README.md)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp/torch-node-fuzz}
cxx=${CXX:-clang++-14}
libtorch=${LIBTORCH:-$(node -p "require('$repo/build/libtorch.json').root")}
mkdir -p "$out"
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address -D_GLIBCXX_USE_CXX11_ABI=1
  -Wno-deprecated-declarations -isystem "$libtorch/include" -isystem "$libtorch/include/torch/csrc/api/include")
# The parsing half of native/serialization.cc: no Node-API.
nice "$cxx" "${flags[@]}" -DTORCH_NODE_PARSE_ONLY -c "$repo/native/serialization.cc" -o "$out/serialization.o"
nice "$cxx" "${flags[@]}" -c "$repo/fuzz/pickle_load_fuzzer.cc" -o "$out/pickle_load_fuzzer.o"
"$cxx" -fsanitize=fuzzer,address "$out/serialization.o" "$out/pickle_load_fuzzer.o" -o "$out/pickle_load_fuzzer" \
  -L"$libtorch/lib" -Wl,-rpath,"$libtorch/lib" -Wl,--no-as-needed -ltorch_cpu -lc10
echo "built $out/pickle_load_fuzzer"
