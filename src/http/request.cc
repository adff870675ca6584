#include "http/request.h"

namespace tgi::http {

const std::string* Request::GetHeader(std::string_view lowercase_name) const {
  for (const Header& h : headers) {
    if (h.name == lowercase_name) return &h.value;
  }
  return nullptr;
}

}  // namespace tgi::http
