#!/usr/bin/env bash
# Installs Jazzer.js (coverage-guided JS fuzzer) into $JAZZER_DIR (default /tmp/jazzer), outside
# the repository. The prebuilt binaries of @jazzer.js/fuzzer 4.x need glibc 2.38 (Debian 12 has
# 2.36), so this builds 2.1.0's addon from its sources against Debian's libFuzzer
# (apt: clang-14 libclang-rt-14-dev), standing in for the two things jazzer's libFuzzer fork adds.
set -euo pipefail
dir=${JAZZER_DIR:-/tmp/jazzer}
fuzzer_lib=${LIBFUZZER:-/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a}
mkdir -p "$dir" && cd "$dir"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts @jazzer.js/core@2.1.0
cd node_modules/@jazzer.js/fuzzer
# Debian's libFuzzer instead of downloading and building jazzer's fork.
python3 - "$fuzzer_lib" <<'PY'
import sys
s = open('CMakeLists.txt').read()
if 'Local build' not in s:
    s = s[:s.index('# Download and build compiler-rt')] + (
        '# Local build: Debian\'s libFuzzer.\n'
        'target_link_libraries(${PROJECT_NAME} -Wl,-whole-archive %s -Wl,-no-whole-archive)\n' % sys.argv[1])
    s = s.replace('target_include_directories(${PROJECT_NAME} PRIVATE ${CMAKE_JS_INC})',
                  'target_include_directories(${PROJECT_NAME} PRIVATE ${CMAKE_JS_INC} ${CMAKE_SOURCE_DIR}/localinc)')
    open('CMakeLists.txt', 'w').write(s)
PY
mkdir -p localinc/fuzzer
cat > localinc/fuzzer/FuzzerDefs.h <<'H'
// Stand-in for compiler-rt's FuzzerDefs.h: what jazzer.js's addon uses.
#pragma once
#include <cstddef>
#include <cstdint>
namespace fuzzer {
typedef int (*UserCallback)(const uint8_t *Data, size_t Size);
int FuzzerDriver(int *argc, char ***argv, UserCallback Callback);
}
H
# The fork calls __jazzer_set_death_callback; without it the callback must not be null.
sed -i 's|void (\*PrintCrashingInput)() = nullptr;|static void NoCallback() {}\nvoid (*PrintCrashingInput)() = NoCallback;|' shared/sanitizer_symbols.cpp
# The fork's comparison hooks take the PC explicitly; 64 trampolines give Debian's 64 PCs.
cat > shared/with_pc.cpp <<'CC'
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
extern "C" void __sanitizer_cov_trace_const_cmp8(uint64_t, uint64_t);
extern "C" void __sanitizer_cov_trace_pc_indir(uintptr_t);
template <int N> __attribute__((noinline)) void Cmp8(uint64_t a, uint64_t b) {
  __sanitizer_cov_trace_const_cmp8(a, b);
  asm volatile("" ::"i"(N));
}
template <int N> __attribute__((noinline)) void Indir(uintptr_t callee) {
  __sanitizer_cov_trace_pc_indir(callee);
  asm volatile("" ::"i"(N));
}
template <std::size_t... I> constexpr auto CmpTable(std::index_sequence<I...>) {
  return std::array<void (*)(uint64_t, uint64_t), sizeof...(I)>{Cmp8<I>...};
}
template <std::size_t... I> constexpr auto IndirTable(std::index_sequence<I...>) {
  return std::array<void (*)(uintptr_t), sizeof...(I)>{Indir<I>...};
}
static const auto kCmp = CmpTable(std::make_index_sequence<64>());
static const auto kIndir = IndirTable(std::make_index_sequence<64>());
extern "C" void __sanitizer_cov_trace_const_cmp8_with_pc(uintptr_t pc, uint64_t a, uint64_t b) { kCmp[pc % 64](a, b); }
extern "C" void __sanitizer_cov_trace_pc_indir_with_pc(void* pc, uintptr_t callee) {
  kIndir[reinterpret_cast<uintptr_t>(pc) % 64](callee);
}
CC
# Debian's libFuzzer only follows the coverage counters registered before fuzzing starts (the
# fork follows later ones too): register 64K up front instead of growing from 512.
sed -i 's/static INITIAL_NUM_COUNTERS = 1 << 9;/static INITIAL_NUM_COUNTERS = 1 << 16;/' dist/coverage.js
rm -rf build
nice npx cmake-js build --out build
echo "jazzer.js ready in $dir"
