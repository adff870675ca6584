#include "http/request_decoder.h"

#include <utility>

#include "common/ascii.h"
#include "http/params.h"

namespace tgi::http {

namespace {

// Content-Length must be below this.
constexpr uint64_t kMaxContentLength = 0xFFFFFFFFull;

bool IsAllowedVerb(std::string_view method, std::string_view target, const ServerOptions& options) {
  if (method == "GET" || method == "POST") return true;
  for (const auto& extra : options.extra_verbs) {
    if (method == extra.verb && target.substr(0, extra.target_prefix.size()) == extra.target_prefix)
      return true;
  }
  return false;
}

bool StartsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii::EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace

HeadDecision DecideHead(const RequestHead& head, const ServerOptions& options) {
  HeadDecision decision;
  if (!IsAllowedVerb(head.method, head.target, options)) {
    decision.status = 501;
    return decision;
  }
  if (head.version != 10 && head.version != 11) {
    decision.status = 505;
    return decision;
  }
  // The first Transfer-Encoding and Expect headers, found in one pass. (Compared as string_views,
  // which look at the sizes first; a std::string against a char* compares bytes first.)
  constexpr std::string_view kTransferEncoding = "transfer-encoding", kExpect = "expect";
  const std::string* te = nullptr;
  const std::string* expect = nullptr;
  for (const Header& h : head.headers) {
    if (te == nullptr && h.name == kTransferEncoding) te = &h.value;
    if (expect == nullptr && h.name == kExpect) expect = &h.value;
  }
  if (te != nullptr && !ascii::EqualsIgnoringCase(ascii::Trim(*te), "chunked")) {
    decision.status = 501;
    return decision;
  }
  if (head.content_length && *head.content_length >= kMaxContentLength) {
    decision.status = 413;
    return decision;
  }
  decision.read_body = head.chunked || (head.content_length && *head.content_length > 0);
  decision.send_continue = decision.read_body && expect != nullptr &&
                           ascii::EqualsIgnoringCase(ascii::Trim(*expect), "100-continue");
  return decision;
}

int StatusForRefusedVersion(std::string_view received) {
  std::string_view line = received.substr(0, received.find("\r\n"));
  size_t space = line.rfind(' ');
  if (space == std::string_view::npos || line.find(' ') == space) return 400;
  std::string_view version = line.substr(space + 1);
  return version.size() > 5 && version.substr(0, 5) == "HTTP/" ? 505 : 400;
}

DecodedRequest DecodeRequest(RequestHead&& head, std::string body, const ServerOptions& options) {
  // The request's own head, as counted against header_limit together with multipart part
  // headers (spec 1.9). Names are lowercased, which keeps their length.
  size_t header_bytes = head.method.size() + head.target.size() + 13;
  for (const Header& h : head.headers) header_bytes += h.name.size() + h.value.size() + 4;

  // Every path returns `decoded`, so it is built in the caller's place (NRVO): the Request is
  // never moved.
  DecodedRequest decoded;
  Request& request = decoded.request;
  request.method = std::string(head.method);
  request.target = std::string(head.target);
  request.headers = std::move(head.headers);

  std::string_view target = head.target;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (StartsWithIgnoringCase(target, scheme)) {
      request.absolute_uri = true;
      target.remove_prefix(scheme.size());
      size_t slash = target.find_first_of("/?");
      target = slash == std::string_view::npos ? std::string_view() : target.substr(slash);
      break;
    }
  }
  size_t question = target.find('?');
  request.path = PercentDecode(target.substr(0, question), false);
  if (question != std::string_view::npos) {
    ParseUrlEncoded(target.substr(question + 1), request.params);
  }

  int status = 0;
  const std::string* encoding = request.GetHeader("content-encoding");
  if (!DecodeContentEncoding(encoding ? *encoding : std::string_view(), std::move(body),
                             options.body_limit, &request.body, &status)) {
    decoded.status = status;
    return decoded;
  }
  if (const std::string* type = request.GetHeader("content-type")) {
    std::string lower = ascii::Lower(*type);
    if (lower.find("multipart/form-data") != std::string::npos) {
      size_t budget = options.header_limit > header_bytes ? options.header_limit - header_bytes : 0;
      if (!ParseMultipart(request.body, *type, request.params, &status, budget)) {
        decoded.status = status;
        return decoded;
      }
    } else if (lower.find("application/x-www-form-urlencoded") != std::string::npos) {
      ParseUrlEncoded(request.body, request.params);
    } else if (lower.find("application/json") != std::string::npos) {
      ParseJsonParams(request.body, request.params);
    }
  }
  if (request.params.text_bytes() > options.param_limit) decoded.status = 413;
  return decoded;
}

}  // namespace tgi::http
