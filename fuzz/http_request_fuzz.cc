// The HTTP layer's decisions on a request (src/http/request_decoder.h): DecideHead on the head,
// then DecodeRequest on the head and body (path, query, Content-Encoding, Content-Type and the
// body's parameters), and StatusForRefusedVersion on the raw bytes.
//
// Input: a request as sent, "METHOD TARGET HTTP/1.x\r\n", "name: value\r\n" lines, an empty line,
// the body. It is cut here with no checks of its own (Beast's framing is not under test), so the
// decoder sees heads that framing would refuse too; its rules must hold for those as well.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/ascii.h"
#include "fuzz_check.h"
#include "http/request_decoder.h"

namespace {

using tgi::http::DecideHead;
using tgi::http::DecodeRequest;
using tgi::http::RequestHead;
using tgi::http::ServerOptions;

std::string_view TrimLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

ServerOptions SmallLimits() {
  ServerOptions options;
  // Small, so that the 413 and 431 paths are reached by small inputs.
  options.header_limit = 2048;
  options.param_limit = 4096;
  options.body_limit = 64 * 1024;
  options.extra_verbs.push_back({.verb = "PUT", .target_prefix = "/control/"});
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ServerOptions options = SmallLimits();
  const std::string_view raw(reinterpret_cast<const char*>(data), size);

  int refused = tgi::http::StatusForRefusedVersion(raw);
  FUZZ_CHECK(refused == 400 || refused == 505, "StatusForRefusedVersion gives 400 or 505");

  tgi::fuzz::Input in(data, size);
  RequestHead head;
  std::string_view line = TrimLine(in.Field('\n'));
  size_t sp1 = line.find(' ');
  head.method = line.substr(0, sp1);
  std::string_view after = sp1 == std::string_view::npos ? "" : line.substr(sp1 + 1);
  size_t sp2 = after.rfind(' ');
  head.target = after.substr(0, sp2);
  std::string_view version = sp2 == std::string_view::npos ? "" : after.substr(sp2 + 1);
  head.version = version == "HTTP/1.0" ? 10 : version == "HTTP/1.1" ? 11 : 20;
  for (;;) {
    std::string_view h = TrimLine(in.Field('\n'));
    if (h.empty()) break;
    size_t colon = h.find(':');
    std::string name(h.substr(0, colon));
    std::string_view value = colon == std::string_view::npos ? "" : h.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    for (char& c : name) c = tgi::ascii::Lower(c);
    if (name == "content-length") {
      uint64_t n = 0;
      for (char c : value) n = (c >= '0' && c <= '9') ? n * 10 + static_cast<uint64_t>(c - '0') : n;
      head.content_length = n;
    }
    if (name == "transfer-encoding" && value.find("chunked") != std::string_view::npos)
      head.chunked = true;
    head.headers.push_back({std::move(name), std::string(value)});
  }
  std::string body(in.Rest());

  tgi::http::HeadDecision decision = DecideHead(head, options);
  FUZZ_CHECK(decision.status == 0 || decision.status == 413 || decision.status == 501 ||
                 decision.status == 505,
             "DecideHead's statuses");
  FUZZ_CHECK(decision.status == 0 || (!decision.read_body && !decision.send_continue),
             "a refused head reads no body");
  FUZZ_CHECK(!decision.send_continue || decision.read_body, "100 Continue only before a body");
  if (decision.status != 0) return 0;

  const std::string method(head.method);
  const std::string target(head.target);
  const size_t header_count = head.headers.size();
  tgi::http::DecodedRequest decoded = DecodeRequest(std::move(head), std::move(body), options);
  const int s = decoded.status;
  FUZZ_CHECK(s == 0 || s == 400 || s == 413 || s == 415 || s == 431, "DecodeRequest's statuses");
  if (s != 0) return 0;
  const tgi::http::Request& r = decoded.request;
  FUZZ_CHECK(r.method == method && r.target == target, "method and target kept");
  FUZZ_CHECK(r.headers.size() == header_count, "headers kept");
  FUZZ_CHECK(r.body.size() <= options.body_limit, "decoded body within body_limit");
  FUZZ_CHECK(r.params.text_bytes() <= options.param_limit, "params within param_limit");
  size_t bytes = 0;
  for (const auto& p : r.params.items()) bytes += p.name.size() + p.value.size();
  FUZZ_CHECK(bytes == r.params.text_bytes(), "text_bytes counts every name and value");
  FUZZ_CHECK(r.path.size() <= target.size(), "percent-decoding never grows the path");
  return 0;
}
