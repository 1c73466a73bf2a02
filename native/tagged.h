// Non-tensor handles (generators, TorchScript modules): a napi_external owning a T, tagged
// with its kind so one kind is never read as another, freed by a GC-time finalizer.
#pragma once
#include <napi.h>

#include <stdexcept>

namespace tn {

template <typename T>
napi_value NewTagged(napi_env env, T* object, const napi_type_tag& tag) {
  napi_value result;
  napi_create_external(env, object, [](node_api_basic_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr,
                       &result);
  napi_type_tag_object(env, result, &tag);
  return result;
}

template <typename T>
T* UnwrapTagged(napi_env env, napi_value value, const napi_type_tag& tag, const char* expected) {
  bool tagged = false;
  void* data = nullptr;
  if (napi_check_object_type_tag(env, value, &tag, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, value, &data) != napi_ok) {
    throw std::runtime_error(std::string("expected ") + expected);
  }
  return static_cast<T*>(data);
}

}  // namespace tn
