#include "errors.h"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace tginvite::client_internal {

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

Error TransportError(Error::Transport transport, std::string description, int http_status) {
  Error e;
  e.kind = Error::Kind::kTransport;
  e.transport = transport;
  e.error_code = http_status;
  e.description = std::move(description);
  return e;
}

namespace {

void ReplaceAll(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  std::size_t pos = 0;
  while ((pos = text.find(what, pos)) != std::string::npos) {
    text.replace(pos, what.size(), with);
    pos += with.size();
  }
}

}  // namespace

Scrubber::Scrubber(std::string_view token) {
  forms_[0] = std::string(token);
  // "123:secret" as "123%3Asecret": some servers echo the path percent-encoded.
  const std::size_t colon = token.find(':');
  if (colon != std::string_view::npos) {
    forms_[1].append(token.substr(0, colon));
    forms_[1].append("%3A");
    forms_[1].append(token.substr(colon + 1));
    // The secret alone, when it is long enough not to match ordinary words.
    if (token.size() - colon - 1 >= 8) forms_[2] = std::string(token.substr(colon + 1));
  }
}

std::string Scrubber::Scrub(std::string text) const {
  for (const std::string& form : forms_) ReplaceAll(text, form, "<token>");
  // Lower-case percent-encoding of the colon, too.
  if (!forms_[1].empty()) {
    std::string lower = forms_[1];
    const std::size_t at = lower.find("%3A");
    lower.replace(at, 3, "%3a");
    ReplaceAll(text, lower, "<token>");
  }
  return text;
}

Error Scrubber::Scrub(Error error) const {
  error.description = Scrub(std::move(error.description));
  return error;
}

}  // namespace tginvite::client_internal
