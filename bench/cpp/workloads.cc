// Workload floor for bench/run.mjs: transfer, training steps, CNN inference, in plain libtorch
// C++ (the C++ frontend's nn modules and optimizers), the same models as bench/workloads.py
// and bench/workloads.mjs.
//
//   workloads --startup      prints the first op's result and exits (start-up timing)
//   workloads                reads commands from stdin, one per line, answers one JSON line each:
//     info                         {"impl":"cpp","torch":...,"defaultThreads":N}
//     <workload> <threads> <iters> {"ns": wall ns per iteration, "cpu": process CPU ns per iteration}
//                                  (threads 0 = libtorch's default)
//     quit
#include <torch/nn.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>
#include <ATen/Parallel.h>
#include <torch/headeronly/version.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

namespace nn = torch::nn;
namespace F = torch::nn::functional;

namespace {

constexpr int64_t kTransferFloats = 25 * 1000 * 1000;  // 100 MB of float32

// --- the models (PyTorch's default initialisation; values do not matter for timing) ---

nn::Sequential Mlp() {
  return nn::Sequential(nn::Linear(784, 256), nn::ReLU(), nn::Linear(256, 10));
}

nn::Sequential Cnn() {
  return nn::Sequential(nn::Conv2d(nn::Conv2dOptions(3, 32, 3)), nn::ReLU(), nn::MaxPool2d(2),
                        nn::Flatten(), nn::Linear(32 * 15 * 15, 64), nn::ReLU(), nn::Linear(64, 10));
}

struct LstmNetImpl : nn::Module {
  nn::LSTM lstm{nullptr};
  nn::Linear head{nullptr};
  LstmNetImpl() {
    lstm = register_module("lstm", nn::LSTM(nn::LSTMOptions(1, 50).batch_first(true)));
    head = register_module("head", nn::Linear(50, 1));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto out = std::get<0>(lstm->forward(x));  // [batch, time, hidden]
    return head->forward(out.select(1, -1));   // the last step
  }
};
TORCH_MODULE(LstmNet);

// A workload: state built once, then `step` run many times.
using Step = std::function<void()>;

Step MakeMlpSgd() {
  auto model = Mlp();
  auto opt = std::make_shared<torch::optim::SGD>(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  auto x = torch::randn({64, 784});
  auto y = torch::randint(0, 10, {64});
  return [=]() mutable {
    opt->zero_grad();
    auto loss = F::cross_entropy(model->forward(x), y);
    loss.backward();
    opt->step();
  };
}

Step MakeCnnAdam() {
  auto model = Cnn();
  auto opt = std::make_shared<torch::optim::Adam>(model->parameters(), torch::optim::AdamOptions(1e-3));
  auto x = torch::randn({32, 3, 32, 32});
  auto y = torch::randint(0, 10, {32});
  return [=]() mutable {
    opt->zero_grad();
    auto loss = F::cross_entropy(model->forward(x), y);
    loss.backward();
    opt->step();
  };
}

Step MakeLstmAdam() {
  LstmNet model;
  auto opt = std::make_shared<torch::optim::Adam>(model->parameters(), torch::optim::AdamOptions(1e-3));
  auto x = torch::randn({32, 10, 1});
  auto y = torch::randn({32, 1});
  return [=]() mutable {
    opt->zero_grad();
    auto loss = F::mse_loss(model->forward(x), y);
    loss.backward();
    opt->step();
  };
}

Step MakeGan() {
  auto G = nn::Sequential(nn::Linear(100, 256), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                          nn::Linear(256, 784), nn::Tanh());
  auto D = nn::Sequential(nn::Linear(784, 256), nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)),
                          nn::Linear(256, 1), nn::Sigmoid());
  auto adam = torch::optim::AdamOptions(2e-4).betas({0.5, 0.999});
  auto optG = std::make_shared<torch::optim::Adam>(G->parameters(), adam);
  auto optD = std::make_shared<torch::optim::Adam>(D->parameters(), adam);
  auto images = torch::rand({64, 784}) * 2 - 1;
  auto real = torch::ones({64, 1});
  auto fake = torch::zeros({64, 1});
  return [=]() mutable {
    auto generated = G->forward(torch::randn({64, 100}));
    optD->zero_grad();
    auto lossD = F::binary_cross_entropy(D->forward(images), real) +
                 F::binary_cross_entropy(D->forward(generated.detach()), fake);
    lossD.backward();
    optD->step();
    optG->zero_grad();
    auto lossG = F::binary_cross_entropy(D->forward(generated), real);
    lossG.backward();
    optG->step();
  };
}

Step MakeCnnInfer(int64_t batch) {
  auto model = Cnn();
  model->eval();
  auto x = torch::randn({batch, 3, 32, 32});
  return [=]() mutable {
    c10::InferenceMode guard;
    auto out = model->forward(x);
  };
}

// The host buffers of the transfer round trips.
std::shared_ptr<float[]> Source() {
  static std::shared_ptr<float[]> src;
  if (!src) {
    src.reset(new float[kTransferFloats]);
    for (int64_t i = 0; i < kTransferFloats; ++i) src[i] = float(i % 1000) * 0.001f;
  }
  return src;
}

volatile float g_sink = 0;

Step MakeTransferCopy() {
  auto src = Source();
  return [=]() mutable {
    // host -> tensor (a copy), tensor -> a new host array (a copy)
    auto t = torch::from_blob(src.get(), {kTransferFloats}, torch::kFloat).clone();
    std::unique_ptr<float[]> out(new float[kTransferFloats]);
    std::memcpy(out.get(), t.data_ptr<float>(), kTransferFloats * sizeof(float));
    g_sink = out[kTransferFloats - 1];
  };
}

Step MakeTransferZeroCopy() {
  auto src = Source();
  return [=]() mutable {
    auto t = torch::from_blob(src.get(), {kTransferFloats}, torch::kFloat);
    const float* view = t.data_ptr<float>();
    g_sink = view[kTransferFloats - 1];
  };
}

const std::map<std::string, std::function<Step()>>& Factories() {
  static const std::map<std::string, std::function<Step()>> f = {
      {"transfer-copy", MakeTransferCopy},
      {"transfer-zerocopy", MakeTransferZeroCopy},
      {"mlp-sgd", MakeMlpSgd},
      {"cnn-adam", MakeCnnAdam},
      {"lstm-adam", MakeLstmAdam},
      {"gan", MakeGan},
      {"infer-cnn-b1", [] { return MakeCnnInfer(1); }},
      {"infer-cnn-b256", [] { return MakeCnnInfer(256); }},
  };
  return f;
}

// CPU time of the whole process (all threads), less sensitive than wall time to other load.
double CpuNs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e9 + double(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--startup") == 0) {
    std::printf("%g\n", at::ones({1}).add(1).item<double>());
    return 0;
  }
  const int default_threads = at::get_num_threads();
  torch::manual_seed(0);
  std::map<std::string, Step> steps;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string name;
    int threads = 0;
    long iters = 0;
    in >> name >> threads >> iters;
    if (name == "quit") break;
    if (name == "info") {
      std::printf("{\"impl\":\"cpp\",\"torch\":\"%s\",\"defaultThreads\":%d}\n", TORCH_VERSION, default_threads);
    } else if (!Factories().count(name)) {
      std::printf("{\"error\":\"unknown workload %s\"}\n", name.c_str());
    } else {
      at::set_num_threads(threads > 0 ? threads : default_threads);
      auto& step = steps[name];
      if (!step) step = Factories().at(name)();
      const double n = double(iters > 0 ? iters : 1);
      const double cpu0 = CpuNs();
      auto t0 = std::chrono::steady_clock::now();
      for (long i = 0; i < iters; ++i) step();
      auto t1 = std::chrono::steady_clock::now();
      const double cpu = (CpuNs() - cpu0) / n;
      double ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
      std::printf("{\"ns\":%.1f,\"cpu\":%.1f,\"threads\":%d}\n", ns, cpu, at::get_num_threads());
    }
    std::fflush(stdout);
  }
  return 0;
}
