#include "console/assets.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace tgi::console {
namespace {

constexpr std::string_view kPrefix = "/console";

http::Response TextResponse(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = "text/plain; charset=utf-8";
  r.extra_headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

// A strong validator from the content: 16 hex digits of its SHA-256 are plenty for a few dozen
// files, and keep the header short.
std::string ETagOf(const EmbeddedFile& f) {
  // Appended, not "literal" + std::string: GCC 12 warns falsely on that in -O3 builds.
  std::string etag = "\"";
  etag.append(f.sha256.substr(0, 16)).append("\"");
  return etag;
}

// Whether an If-None-Match header names `etag` (a list of tags, or "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  size_t pos = 0;
  while (pos <= if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view tag = if_none_match.substr(pos, comma - pos);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    pos = comma + 1;
  }
  return false;
}

}  // namespace

const EmbeddedFile* FindFile(std::span<const EmbeddedFile> files, std::string_view path) {
  if (path.empty() || path.find_first_of(std::string_view("\\\0", 2)) != std::string_view::npos)
    return nullptr;
  // Named decision: a path is never normalised; one with an empty, "." or ".." segment is simply
  // not a file of the console (404), so no spelling can reach outside the table, and a file has
  // one URL.
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return nullptr;
    start = slash + 1;
  }
  for (const EmbeddedFile& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

std::string_view ContentTypeFor(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  }};
  size_t slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) {
    std::string_view ext = name.substr(dot);
    for (const auto& [known, type] : kTypes)
      if (ext == known) return type;
  }
  return "application/octet-stream";
}

bool IsConsolePath(std::string_view path) {
  return path == kPrefix || (path.starts_with(kPrefix) && path[kPrefix.size()] == '/');
}

http::Response Serve(std::span<const EmbeddedFile> files, const http::Request& request) {
  if (request.method != "GET") {
    http::Response r = TextResponse(405, "Method Not Allowed\n");
    r.extra_headers.push_back({"Allow", "GET"});
    return r;
  }
  std::string_view path = std::string_view(request.path).substr(kPrefix.size());
  if (path.starts_with("/")) path.remove_prefix(1);
  if (path.empty()) path = "index.html";
  const EmbeddedFile* f = FindFile(files, path);
  if (!f) return TextResponse(404, "Not Found\n");

  http::Response r;
  const std::string etag = ETagOf(*f);
  const std::string* if_none_match = request.GetHeader("if-none-match");
  if (if_none_match && Matches(*if_none_match, etag)) {
    r.status = 304;
    r.content_type.clear();
  } else {
    r.body = std::string(f->bytes());
    r.content_type = std::string(ContentTypeFor(f->path));
  }
  r.extra_headers.push_back({"ETag", etag});
  r.extra_headers.push_back({"Cache-Control", "no-cache"});
  r.extra_headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.extra_headers.push_back(
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"});
  return r;
}

}  // namespace tgi::console
