// Declarations only (see ../../README.md): c10d's ProcessGroupGloo.hpp holds these types
// through pointers only.
#pragma once

namespace gloo::transport {

class Device;
class UnboundBuffer;

}  // namespace gloo::transport
