// The web console's static files (web/console/: HTML, CSS, JavaScript modules), built into the
// binary by cmake/embed_files.cmake, and how they are served under /console/ on the server's
// one listener. The files hold no data of the world, so serving them needs no token: the page
// asks for the control token and sends it with each control-plane call (docs/control-api.md).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "http/request.h"

namespace tgi::console {

// One file: its path under web/console/ ('/' separated, e.g. "index.html", "views/world.js"),
// its bytes and the hex SHA-256 of them.
struct EmbeddedFile {
  std::string_view path;
  const unsigned char* data;
  size_t size;
  std::string_view sha256;

  std::string_view bytes() const { return {reinterpret_cast<const char*>(data), size}; }
};

// Every embedded file, sorted by path (generated; embedded_files.cc in the build folder).
std::span<const EmbeddedFile> EmbeddedFiles();

// The file of `files` at `path`, or null. Exact match only: a path with an empty, "." or ".."
// segment, a backslash or a NUL byte is never found, whatever the table holds.
const EmbeddedFile* FindFile(std::span<const EmbeddedFile> files, std::string_view path);

// The Content-Type for a file name, by its extension (lowercase): text/html, text/css and
// text/javascript (what module scripts need) with charset=utf-8, image/svg+xml, image/png,
// application/json, ...; application/octet-stream for anything else.
std::string_view ContentTypeFor(std::string_view path);

// True for the paths the console owns: "/console" and everything under "/console/".
bool IsConsolePath(std::string_view path);

// The answer to a request for a console path (REQUIRES: IsConsolePath(request.path)):
// "/console" and "/console/" are index.html; "/console/<path>" the file at <path>. GET only
// (else 405 with Allow: GET); an unknown file 404. Each file goes with its ETag (a prefix of its
// SHA-256) and Cache-Control: no-cache, so a browser revalidates and gets 304 for an If-None-Match
// that matches; X-Content-Type-Options: nosniff and a Content-Security-Policy that allows only
// the server's own scripts, styles and connections.
http::Response Serve(std::span<const EmbeddedFile> files, const http::Request& request);

}  // namespace tgi::console
