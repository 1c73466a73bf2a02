// JS values <-> libtorch IValues, containers included (see ivalue.cc).
#pragma once
#include <ATen/core/ivalue.h>
#include <napi.h>

#include "state.h"

namespace tn {
c10::IValue JsToIValue(Napi::Env env, Napi::Value value);
Napi::Value IValueToJs(Napi::Env env, AddonState* state, const c10::IValue& value);
}  // namespace tn
