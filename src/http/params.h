// Request parameters (spec 1.4): one ordered list of (name, value) pairs filled from the query
// string and the body, plus the decoders that fill it. No I/O; safe on any input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tgi::http {

struct Param {
  std::string name;
  std::string value;
};

// Ordered list of parameters. Lookups are exact (case-sensitive) and return the FIRST match, so
// the query string (added first) wins over the body, and within one source the first occurrence
// wins. Not thread-safe.
class ParamList {
 public:
  void Add(std::string name, std::string value);
  // Returns the value of the first pair named `name`, or nullptr.
  const std::string* Find(std::string_view name) const;
  const std::vector<Param>& items() const { return items_; }
  // Running total of name + value bytes of every pair added (for the 1 MiB parameter limit).
  size_t text_bytes() const { return text_bytes_; }

 private:
  std::vector<Param> items_;
  size_t text_bytes_ = 0;
};

// Default total header budget (spec 1.9: request headers plus multipart part headers).
inline constexpr size_t kDefaultHeaderLimit = 256 * 1024;
// Most file parts accepted in one multipart body (spec 1.4).
inline constexpr int kMaxFiles = 50;
// Deepest JSON nesting ParseJsonParams accepts; deeper counts as a problem.
inline constexpr int kMaxJsonDepth = 1000;

// Percent-decodes `s`. Invalid escapes ("%zz", a trailing "%") are kept as they are. With
// `plus_as_space`, '+' becomes ' '.
std::string PercentDecode(std::string_view s, bool plus_as_space);

// Parses a query string or an application/x-www-form-urlencoded body into `out`: split on '&',
// each "k=v" percent-decoded with '+' as space; a piece without '=' gives the value ""; empty
// pieces are skipped.
void ParseUrlEncoded(std::string_view text, ParamList& out);

// Parses a JSON body per spec 1.4. An empty body gives nothing. A top-level object gives one pair
// per member: string values are unescaped, any other value is kept as its raw JSON text. A
// top-level string gives one pair named "content". Anything else (array, number, broken JSON) is
// not an error: parsing stops at the first problem and keeps the pairs already read.
void ParseJsonParams(std::string_view body, ParamList& out);

// Parses a multipart/form-data body. The boundary comes from `content_type`. Text parts become
// pairs (raw bytes); parts with a filename are files and are skipped (at most kMaxFiles); a part
// whose own Content-Type is application/x-www-form-urlencoded is parsed as such.
// `header_budget` is what is left of the header limit after the request's own headers; the part
// headers count against it. Returns false with *status = 400 (malformed), 413 (too many files)
// or 431 (part headers over budget); pairs read before the error stay in `out`.
bool ParseMultipart(std::string_view body, std::string_view content_type, ParamList& out,
                    int* status, size_t header_budget = kDefaultHeaderLimit);

// Decodes `body` per a Content-Encoding value: "gzip", "deflate" (zlib-wrapped or raw) are
// inflated; "", "identity" and "none" pass through. Returns false with *status = 415 (unknown
// encoding), 413 (output over `limit` bytes) or 400 (corrupt data).
bool DecodeContentEncoding(std::string_view encoding, std::string body, size_t limit,
                           std::string* out, int* status);

}  // namespace tgi::http
