// Per-op overhead floor: the same four workloads as bench/perop.py and
// bench/perop.mjs, in plain C++ over ATen, one intra-op thread.
// Prints one JSON line: {"impl":"cpp", ..., "results":{"add1":ns,...}}
//
// Usage: perop [scale]   (scale multiplies the iteration counts; default 1)
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/headeronly/version.h>

#include <chrono>
#include <ctime>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRuns = 5;
volatile double g_sink = 0;  // keeps results observable
double g_last_cpu_ns = 0;    // process CPU ns per iteration of the last bench() call

double CpuNs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

// The mean of kRuns timed runs of n iterations (after one warm-up run of n/10),
// in ns per iteration; g_last_cpu_ns gets the process CPU time alike.
template <typename F>
double bench(long n, F&& body) {
  long warm = n / 10 > 1000 ? n / 10 : 1000;
  for (long i = 0; i < warm; ++i) body();
  // The mean over all runs, as in the Python and Node programs.
  const double cpu0 = CpuNs();
  auto t0 = Clock::now();
  for (int r = 0; r < kRuns; ++r) {
    for (long i = 0; i < n; ++i) body();
  }
  auto t1 = Clock::now();
  g_last_cpu_ns = (CpuNs() - cpu0) / double(n * kRuns);
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / double(n * kRuns);
}

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  if (argc > 1) scale = std::atof(argv[1]);
  if (const char* s = std::getenv("BENCH_SCALE"); s && argc <= 1) scale = std::atof(s);
  if (!(scale > 0)) scale = 1.0;
  auto N = [&](long base) { long n = long(base * scale); return n < 10 ? 10L : n; };

  at::set_num_threads(1);

  at::Tensor a = at::ones({1}, at::kFloat);
  at::Tensor b = at::ones({1}, at::kFloat);
  float data[16];
  for (int i = 0; i < 16; ++i) data[i] = 0.5f * float(i + 1);

  std::vector<std::pair<std::string, double>> res;
  std::vector<double> cpu;

  res.emplace_back("add1", bench(N(200000), [&] {
    at::Tensor c = a + b;  // dropped at end of scope
  }));
  cpu.push_back(g_last_cpu_ns);
  res.emplace_back("chain4", bench(N(100000), [&] {
    at::Tensor c = ((a + b) * b).relu().sum();
  }));
  cpu.push_back(g_last_cpu_ns);
  res.emplace_back("fromArray", bench(N(200000), [&] {
    at::Tensor t = at::from_blob(data, {16}, at::kFloat).clone();
  }));
  cpu.push_back(g_last_cpu_ns);
  double acc = 0;
  res.emplace_back("item", bench(N(200000), [&] {
    acc += a.item<double>();
  }));
  cpu.push_back(g_last_cpu_ns);
  g_sink = acc;

  std::printf("{\"impl\":\"cpp\",\"torch\":\"%s\",\"threads\":%d,\"results\":{",
              TORCH_VERSION, at::get_num_threads());
  for (size_t i = 0; i < res.size(); ++i)
    std::printf("%s\"%s\":%.1f", i ? "," : "", res[i].first.c_str(), res[i].second);
  std::printf("},\"cpu\":{");
  for (size_t i = 0; i < res.size(); ++i)
    std::printf("%s\"%s\":%.1f", i ? "," : "", res[i].first.c_str(), cpu[i]);
  std::printf("}}\n");
  return 0;
}
