#include "http/request.h"

namespace tgi::http {

const std::string* Request::GetHeader(std::string_view lowercase_name) const {
  for (const Header& h : headers) {
    if (h.name == lowercase_name) return &h.value;
  }
  return nullptr;
}

size_t BodySize(const Response& response) {
  size_t n = response.body.size();
  for (const SharedText& part : response.body_parts) n += part.size();
  return n;
}

}  // namespace tgi::http
