// Names the calling thread (as top, perf and /proc/PID/task/*/comm show it). Linux keeps the
// first 15 bytes.
#pragma once

namespace tgi {

void SetThreadName(const char* name);

}  // namespace tgi
