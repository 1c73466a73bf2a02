// JS values <-> libtorch IValues, containers included (see ivalue.cc).
#pragma once
#include <ATen/core/ivalue.h>
#include <napi.h>

#include "state.h"

namespace tn {
// typedLists: lists and dicts typed by their elements (List[int], ...), as TorchScript
// methods check; torch.save wants them untyped, since the pickler writes typed int lists with
// a TorchScript global that Python's weights_only torch.load refuses.
c10::IValue JsToIValue(Napi::Env env, Napi::Value value, bool typedLists = true);
Napi::Value IValueToJs(Napi::Env env, AddonState* state, const c10::IValue& value);
}  // namespace tn
