// Building the library's Error values, and keeping the bot token out of them.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "tginvite/types.h"

namespace tginvite::client_internal {

// Concatenates texts (instead of "literal" + std::string, which GCC 12 misreports at -O2).
std::string Cat(std::initializer_list<std::string_view> parts);

Error TransportError(Error::Transport transport, std::string description, int http_status = 0);

// Replaces every occurrence of the token in a text with "<token>". Also the token's secret part
// (after the ':') and its percent-encoded form, in case a server or a library echoes either.
class Scrubber {
 public:
  explicit Scrubber(std::string_view token);

  std::string Scrub(std::string text) const;
  // Scrubs the description of an error in place and returns it.
  Error Scrub(Error error) const;

 private:
  std::string forms_[3];
};

}  // namespace tginvite::client_internal
