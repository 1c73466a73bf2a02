// Declarations only (see ../README.md): the one member of gloo::Context that an inline
// function of c10d's ProcessGroupGloo.hpp names. torch-node never calls it.
#pragma once
#include <chrono>

// Tells native/distributed.cc these are the stand-ins, not gloo's real headers.
#define TORCH_NODE_GLOO_DECL 1

namespace gloo {

class Context {
 public:
  void setTimeout(std::chrono::milliseconds timeout);
};

}  // namespace gloo
