#include "common/thread_name.h"

#include <pthread.h>

namespace tgi {

void SetThreadName(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace tgi
