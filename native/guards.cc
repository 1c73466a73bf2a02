#include "guards.h"

#include <ATen/EmptyTensor.h>

#include <optional>
#include <stdexcept>
#include <initializer_list>
#include <vector>
#include <string>
#include <unordered_map>

namespace tn {

namespace {

// aten::align_tensors([]) reads the first tensor of the empty list.
void AlignTensors(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  if (args[0].toTensorList().empty()) throw std::runtime_error("align_tensors: expected at least one tensor");
}

// fbgemm_pack_* return a uint8 tensor whose bytes are a C++ object (cpp_custom_type_hack):
// writing into it (x.set('-1:', 1)) corrupts that object, which crashes when it is freed.
// PyTorch deprecates these ops; torch-node refuses them rather than hand out such a tensor.
void OpaquePacking(const c10::FunctionSchema&, const torch::jit::Stack&) {
  throw std::runtime_error(
      "fbgemm_pack_gemm_matrix_fp16 and fbgemm_pack_quantized_matrix are not supported: they return a C++ object "
      "disguised as a uint8 tensor, which any write corrupts (PyTorch deprecates them; use nn.functional.linear)");
}

// The _foreach_* ops and the fused optimizers (_fused_adam_, ...) walk their lists side by
// side; several index past the end of a shorter list (_foreach_copy([], [a, b, c])).
void ListsOfOneLength(const torch::jit::Stack& args, bool scalarLists) {
  std::optional<size_t> length;
  for (const c10::IValue& v : args) {
    size_t n;
    if (v.isTensorList()) n = v.toTensorList().size();
    else if (scalarLists && v.isList() && !v.isIntList() && !v.isBoolList()) n = v.toListRef().size();
    else if (scalarLists && v.isDoubleList()) n = v.toDoubleList().size();
    else continue;
    if (length && *length != n) {
      throw std::runtime_error("Tensor lists must have the same number of tensors, got " + std::to_string(*length) +
                               " and " + std::to_string(n));
    }
    length = n;
  }
}
void ForeachLists(const c10::FunctionSchema&, const torch::jit::Stack& args) { ListsOfOneLength(args, true); }
void FusedOptimizerLists(const c10::FunctionSchema&, const torch::jit::Stack& args) { ListsOfOneLength(args, false); }

// _thnn_differentiable_{gru,lstm}_cell_backward chunk their gates into 3 or 4 pieces of the
// hidden size and index them without checking the shapes agree.
void CheckCellShapes(const char* op, const torch::jit::Stack& args, int gates, size_t inputGates, size_t hiddenGates,
                     std::initializer_list<size_t> hiddenShaped, std::initializer_list<size_t> biases) {
  auto tensor = [&](size_t i) { return args[i].isTensor() ? args[i].toTensor() : at::Tensor(); };
  at::Tensor in = tensor(inputGates), hidden = tensor(hiddenGates), h = tensor(*hiddenShaped.begin());
  auto fail = [&](const std::string& why) { throw std::runtime_error(std::string(op) + ": " + why); };
  if (!in.defined() || !hidden.defined() || !h.defined()) fail("expected the gates and the hidden state as tensors");
  if (h.dim() != 2) fail("expected a 2-D hidden state, got " + std::to_string(h.dim()) + "-D");
  std::vector<int64_t> gateShape{h.size(0), gates * h.size(1)};
  if (in.sizes() != c10::IntArrayRef(gateShape) || hidden.sizes() != c10::IntArrayRef(gateShape)) {
    fail("expected gates of shape " + c10::str(c10::IntArrayRef(gateShape)) + ", got " + c10::str(in.sizes()) +
         " and " + c10::str(hidden.sizes()));
  }
  for (size_t i : hiddenShaped) {
    at::Tensor t = tensor(i);
    if (t.defined() && t.sizes() != h.sizes()) fail("expected " + c10::str(h.sizes()) + " for every hidden-state tensor, got " + c10::str(t.sizes()));
  }
  for (size_t i : biases) {
    at::Tensor b = tensor(i);
    if (b.defined() && (b.dim() != 1 || b.size(0) != gates * h.size(1))) fail("expected biases of size " + std::to_string(gates * h.size(1)));
  }
}
// (grad_hy, input_gates, hidden_gates, hx, input_bias?, hidden_bias?)
void GruCellBackward(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  CheckCellShapes("_thnn_differentiable_gru_cell_backward", args, 3, 1, 2, {3, 0}, {4, 5});
}
// (grad_hy?, grad_cy?, input_gates, hidden_gates, input_bias?, hidden_bias?, cx, cy)
void LstmCellBackward(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  CheckCellShapes("_thnn_differentiable_lstm_cell_backward", args, 4, 2, 3, {6, 7, 0, 1}, {4, 5});
}

// reflection_pad{1,2,3}d and replication_pad{1,2,3}d (and their backward) read padding[0..2N)
// without checking its length: padding=[] crashes PyTorch too.
void PaddingLengths(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  const auto& params = schema.arguments();
  for (size_t i = 0; i < params.size() && i < args.size(); i++) {
    auto n = params[i].N();
    if (!n || params[i].name() != "padding" || !args[i].isIntList()) continue;
    size_t got = args[i].toIntList().size();
    if (got != static_cast<size_t>(*n)) {
      throw std::runtime_error(schema.name() + ": expected padding of " + std::to_string(*n) + " integers, got " +
                               std::to_string(got));
    }
  }
}

// _cholesky_solve_helper(self, A, upper) is what cholesky_solve calls after checking and
// broadcasting; called directly with shapes that disagree, LAPACK writes past the buffers.
void CholeskySolveHelper(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  const at::Tensor& b = args[0].toTensor();
  const at::Tensor& a = args[1].toTensor();
  auto fail = [](const std::string& why) { throw std::runtime_error("_cholesky_solve_helper: " + why); };
  if (b.dim() < 2 || a.dim() < 2) fail("expected matrices (at least 2-D), got " + c10::str(b.sizes()) + " and " + c10::str(a.sizes()));
  if (a.size(-1) != a.size(-2)) fail("A must be batches of square matrices, got " + c10::str(a.sizes()));
  if (b.dim() != a.dim() || b.size(-2) != a.size(-1) || b.sizes().slice(0, b.dim() - 2) != a.sizes().slice(0, a.dim() - 2)) {
    fail("expected self of shape [*, n, k] for A of shape [*, n, n] with the same batch shape, got " + c10::str(b.sizes()) +
         " and " + c10::str(a.sizes()) + " (torch.choleskySolve broadcasts and checks them)");
  }
  if (b.scalar_type() != a.scalar_type()) fail("expected self and A of one dtype");
}

// _reshape_alias(self, size, stride) makes a view with any sizes and strides, unchecked
// (reshape only calls it with ones that fit); reading such a view reads past the storage.
// The check as_strided makes: non-negative sizes and strides that stay inside the storage.
void ReshapeAlias(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  const at::Tensor& self = args[0].toTensor();
  auto size = args[1].toIntVector(), stride = args[2].toIntVector();
  auto fail = [&](const std::string& why) { throw std::runtime_error(schema.name() + ": " + why); };
  if (size.size() != stride.size()) fail("size and stride must have the same length");
  for (size_t i = 0; i < size.size(); i++) {
    if (size[i] < 0) fail("negative size " + std::to_string(size[i]));
    if (stride[i] < 0) fail("negative stride " + std::to_string(stride[i]));
  }
  if (!self.has_storage()) return;
  size_t needed = at::detail::computeStorageNbytes(size, stride, self.itemsize(), self.storage_offset());
  if (needed > self.storage().nbytes()) {
    fail("sizes " + c10::str(c10::IntArrayRef(size)) + " with strides " + c10::str(c10::IntArrayRef(stride)) + " need " + std::to_string(needed) +
         " bytes, but the storage holds " + std::to_string(self.storage().nbytes()));
  }
}

// _stack([]) reads the first tensor of the empty list (stack() checks, _stack does not).
void StackNonEmpty(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  if (args[0].toTensorList().empty()) throw std::runtime_error(schema.name() + ": stack expects a non-empty TensorList");
}

// _weight_norm_interface(v, g, dim) divides by the size of v along dim: an empty v raises
// SIGFPE (integer division by zero), in PyTorch too.
void WeightNormInterface(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  const at::Tensor& v = args[0].toTensor();
  const at::Tensor& g = args[1].toTensor();
  int64_t dim = args[2].toInt();
  auto fail = [](const std::string& why) { throw std::runtime_error("_weight_norm_interface: " + why); };
  if (v.dim() == 0 || v.numel() == 0) fail("expected a non-empty weight v with at least one dimension, got " + c10::str(v.sizes()));
  if (dim < -v.dim() || dim >= v.dim()) fail("dim " + std::to_string(dim) + " is out of range for a " + std::to_string(v.dim()) + "-D weight");
  int64_t d = dim < 0 ? dim + v.dim() : dim;
  if (g.numel() != v.size(d)) fail("expected g with " + std::to_string(v.size(d)) + " elements (v's size along dim), got " + c10::str(g.sizes()));
}

// _nnpack_spatial_convolution reads 4-D float tensors and two-element padding and stride
// without checking any of it.
void NnpackConvolution(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  const at::Tensor& input = args[0].toTensor();
  const at::Tensor& weight = args[1].toTensor();
  auto fail = [&](const std::string& why) { throw std::runtime_error(schema.name() + ": " + why); };
  if (input.dim() != 4 || weight.dim() != 4) fail("expected a 4-D input and a 4-D weight, got " + c10::str(input.sizes()) + " and " + c10::str(weight.sizes()));
  if (input.scalar_type() != at::kFloat || weight.scalar_type() != at::kFloat) fail("expected float32 input and weight");
  if (input.size(1) != weight.size(1)) fail("the input has " + std::to_string(input.size(1)) + " channels, the weight expects " + std::to_string(weight.size(1)));
  if (args[2].isTensor()) {
    const at::Tensor& bias = args[2].toTensor();
    if (bias.dim() != 1 || bias.size(0) != weight.size(0) || bias.scalar_type() != at::kFloat) fail("expected a float32 bias of " + std::to_string(weight.size(0)) + " elements");
  }
  for (size_t i : {3, 4}) {
    if (args[i].isIntList() && args[i].toIntList().size() != 2) fail("expected 2 values for " + schema.arguments()[i].name());
  }
}

// quantized_lstm_cell and quantized_lstm read hx[0] and hx[1] without checking that there are
// two (lstm_cell and lstm check: "lstm_cell expects two hidden states").
void TwoHiddenStates(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  const auto& params = schema.arguments();
  for (size_t i = 0; i < params.size() && i < args.size(); i++) {
    if (params[i].name() == "hx" && args[i].isTensorList() && args[i].toTensorList().size() != 2) {
      throw std::runtime_error(schema.name() + " expects two hidden states, got " + std::to_string(args[i].toTensorList().size()));
    }
  }
}

// The Sobol engine's private ops (torch.quasirandom.SobolEngine calls them with the state it
// made) index their tables by `dimension` and by bit (30 bits) without checking shapes.
constexpr int64_t kSobolBits = 30;
constexpr int64_t kSobolMaxDimension = 21201;

void CheckSobolTensor(const std::string& op, const at::Tensor& t, const char* name, std::vector<int64_t> shape) {
  if (t.scalar_type() != at::kLong || !t.is_contiguous() || t.sizes() != c10::IntArrayRef(shape)) {
    throw std::runtime_error(op + ": expected " + name + " as a contiguous int64 tensor of shape " +
                             c10::str(c10::IntArrayRef(shape)) + ", got " + c10::str(t.scalar_type()) + " " + c10::str(t.sizes()));
  }
}

void SobolEngine(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  const std::string op = schema.name();
  auto arg = [&](const char* name) -> const c10::IValue& { return args[*schema.argumentIndexWithName(name)]; };
  int64_t dimension = arg("dimension").toInt();
  if (dimension < 1 || dimension > kSobolMaxDimension) {
    throw std::runtime_error(op + ": dimension must be in [1, " + std::to_string(kSobolMaxDimension) + "], got " + std::to_string(dimension));
  }
  if (op == "aten::_sobol_engine_initialize_state_") {
    CheckSobolTensor(op, arg("self").toTensor(), "self", {dimension, kSobolBits});
  } else if (op == "aten::_sobol_engine_scramble_") {
    CheckSobolTensor(op, arg("self").toTensor(), "self", {dimension, kSobolBits});
    CheckSobolTensor(op, arg("ltm").toTensor(), "ltm", {dimension, kSobolBits, kSobolBits});
  } else {  // _sobol_engine_draw (quasi) and _sobol_engine_ff_ (self)
    CheckSobolTensor(op, (schema.argumentIndexWithName("quasi") ? arg("quasi") : arg("self")).toTensor(), "the current point", {dimension});
    CheckSobolTensor(op, arg("sobolstate").toTensor(), "sobolstate", {dimension, kSobolBits});
    int64_t n = arg("n").toInt(), generated = arg("num_generated").toInt();
    if (n < 0 || generated < 0 || n > (int64_t{1} << kSobolBits) - generated) {
      throw std::runtime_error(op + ": expected 0 <= n and num_generated, with at most 2^30 points in all");
    }
  }
}

// choose_qparams_optimized(input, numel, n_bins, ratio, bit_width) reads `numel` floats
// whatever the input's size, and loops forever for a ratio of Infinity.
void ChooseQparamsOptimized(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  const at::Tensor& input = args[0].toTensor();
  int64_t numel = args[1].toInt(), bins = args[2].toInt(), bits = args[4].toInt();
  double ratio = args[3].toDouble();
  auto fail = [](const std::string& why) { throw std::runtime_error("choose_qparams_optimized: " + why); };
  if (input.scalar_type() != at::kFloat || !input.is_contiguous()) fail("expected a contiguous float32 input");
  if (numel < 0 || numel > input.numel()) fail("numel " + std::to_string(numel) + " is not in [0, " + std::to_string(input.numel()) + "]");
  if (bins < 1) fail("n_bins must be positive, got " + std::to_string(bins));
  if (!(ratio >= 0 && ratio <= 1)) fail("ratio must be in [0, 1], got " + std::to_string(ratio));
  if (bits < 1 || bits > 32) fail("bit_width must be in [1, 32], got " + std::to_string(bits));
}

// _new_zeros_with_same_feature_meta(self, other, self_num_batch_dims) copies the first
// self_num_batch_dims sizes of self: a negative count (or one above self.dim()) reads
// outside them.
void NewZerosWithSameFeatureMeta(const c10::FunctionSchema& schema, const torch::jit::Stack& args) {
  int64_t dims = args[2].toInt(), available = args[0].toTensor().dim();
  if (dims < 0 || dims > available) {
    throw std::runtime_error(schema.name() + ": self_num_batch_dims must be in [0, " + std::to_string(available) + "], got " + std::to_string(dims));
  }
}

// linalg.eigvals on a CPU matrix holding NaN or Inf crashes inside LAPACK's geev (PyTorch
// too). linalg.eig checks for them first; eigvals takes a path without that check.
void FiniteEigvalsInput(const c10::FunctionSchema&, const torch::jit::Stack& args) {
  const at::Tensor& input = args[0].toTensor();
  if (input.is_cpu() && input.numel() > 0 && !at::isfinite(input).all().item<bool>()) {
    throw std::runtime_error("torch.linalg.eigvals: input tensor should not contain infs or NaNs");
  }
}

// Keyed "name.overload" ("aten::align_tensors." for the unnamed overload). Read-only data,
// shared by every Node environment.
const std::unordered_map<std::string, OpGuard>& Guards() {
  static const std::unordered_map<std::string, OpGuard> guards = {
      {"aten::align_tensors.", AlignTensors},
      {"aten::linalg_eigvals.", FiniteEigvalsInput},
      {"aten::linalg_eigvals.out", FiniteEigvalsInput},
      {"aten::_linalg_eigvals.", FiniteEigvalsInput},
      {"aten::_new_zeros_with_same_feature_meta.", NewZerosWithSameFeatureMeta},
      {"aten::_new_zeros_with_same_feature_meta.out", NewZerosWithSameFeatureMeta},
      {"aten::_sobol_engine_draw.", SobolEngine},
      {"aten::_sobol_engine_ff_.", SobolEngine},
      {"aten::_sobol_engine_scramble_.", SobolEngine},
      {"aten::_sobol_engine_initialize_state_.", SobolEngine},
      {"aten::choose_qparams_optimized.", ChooseQparamsOptimized},
      {"aten::_stack.", StackNonEmpty},
      {"aten::_stack.out", StackNonEmpty},
      {"aten::_weight_norm_interface.", WeightNormInterface},
      {"aten::_weight_norm_interface.out", WeightNormInterface},
      {"aten::_nnpack_spatial_convolution.", NnpackConvolution},
      {"aten::_nnpack_spatial_convolution.out", NnpackConvolution},
      {"aten::_reshape_alias.", ReshapeAlias},
      {"aten::_reshape_alias_copy.", ReshapeAlias},
      {"aten::_reshape_alias_copy.out", ReshapeAlias},
      {"aten::_cholesky_solve_helper.", CholeskySolveHelper},
      {"aten::_cholesky_solve_helper.out", CholeskySolveHelper},
      {"aten::_thnn_differentiable_gru_cell_backward.", GruCellBackward},
      {"aten::_thnn_differentiable_lstm_cell_backward.", LstmCellBackward},
      {"aten::fbgemm_pack_gemm_matrix_fp16.", OpaquePacking},
      {"aten::fbgemm_pack_quantized_matrix.", OpaquePacking},
      {"aten::fbgemm_pack_quantized_matrix.KN", OpaquePacking},
  };
  return guards;
}

}  // namespace

OpGuard FindGuard(const c10::OperatorName& name) {
  if (name.name.rfind("aten::_foreach_", 0) == 0) return ForeachLists;
  if (name.name.rfind("aten::_fused_", 0) == 0) return FusedOptimizerLists;  // _fused_adam_, ...
  if (name.name == "aten::quantized_lstm_cell" || name.name == "aten::quantized_lstm") return TwoHiddenStates;
  if (name.name.rfind("aten::reflection_pad", 0) == 0 || name.name.rfind("aten::replication_pad", 0) == 0) return PaddingLengths;
  auto found = Guards().find(name.name + "." + name.overload_name);
  return found == Guards().end() ? nullptr : found->second;
}

}  // namespace tn
