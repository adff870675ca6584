#include "text/formatted_text.h"
