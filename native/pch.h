// Precompiled header: the ATen and dispatcher headers every native file needs.
#pragma once
#include <ATen/ATen.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <napi.h>
