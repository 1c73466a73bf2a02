// Declarations only (see ../README.md): c10d's ProcessGroupGloo.hpp includes this header but
// uses nothing from it.
#pragma once
