#include "control/routes.h"

#include "botapi/args.h"

namespace tgi::control {
namespace {

// The non-empty segments of `path`, in order.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    size_t slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    if (!seg.empty()) out.push_back(seg);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsParameter(std::string_view seg) {
  return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}

// Whether `path` has the shape of `pattern`: as many segments, the literal ones equal.
bool Fits(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i)
    if (!IsParameter(pattern[i]) && pattern[i] != path[i]) return false;
  return true;
}

// "{chat_id}" -> "chat".
std::string_view Kind(std::string_view parameter) {
  parameter = parameter.substr(1, parameter.size() - 2);
  constexpr std::string_view kSuffix = "_id";
  if (parameter.size() > kSuffix.size() &&
      parameter.substr(parameter.size() - kSuffix.size()) == kSuffix)
    parameter.remove_suffix(kSuffix.size());
  return parameter;
}

}  // namespace

Result<RouteMatch, botapi::ApiError> FindRoute(std::span<const Route> routes,
                                               std::string_view method, std::string_view path) {
  std::vector<std::string_view> segments = Split(path);
  bool path_known = false;
  for (const Route& route : routes) {
    std::vector<std::string_view> pattern = Split(route.pattern);
    if (!Fits(pattern, segments)) continue;
    path_known = true;
    if (route.method != method) continue;
    // The method is right: only now are the ids read, so a wrong method is a 405 whatever the ids.
    std::vector<size_t> at;  // where the parameters are
    for (size_t i = 0; i < pattern.size(); ++i)
      if (IsParameter(pattern[i])) at.push_back(i);
    RouteMatch match{.route = &route};
    for (size_t i : at) {
      int64_t id = 0;
      if (!botapi::ParseExactInt64(segments[i], &id))
        return Unexpected{botapi::ControlBadIdInUrl(at.size() == 1 ? Kind(pattern[i]) : "")};
      match.ids.push_back(id);
    }
    return match;
  }
  if (path_known) return Unexpected{botapi::ControlMethodNotAllowed()};
  return Unexpected{botapi::NotFound()};
}

}  // namespace tgi::control
