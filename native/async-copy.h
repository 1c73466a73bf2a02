#pragma once
#include <napi.h>
namespace tn {
// itemAsync / copyAsync: copies of tensors to JS made on a libuv worker thread.
void InitAsyncCopy(Napi::Env env, Napi::Object exports);
}
