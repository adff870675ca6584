// The small non-template parts of include/tginvite/types.h.
#include "tginvite/types.h"

#include <string>

namespace tginvite {

std::string ChatId::ToString() const {
  if (is_id()) return std::to_string(id());
  return username();
}

const char* TransportName(Error::Transport t) {
  switch (t) {
    case Error::Transport::kNone:
      return "none";
    case Error::Transport::kBadUrl:
      return "bad-url";
    case Error::Transport::kDns:
      return "dns";
    case Error::Transport::kConnect:
      return "connect";
    case Error::Transport::kTls:
      return "tls";
    case Error::Transport::kTimeout:
      return "timeout";
    case Error::Transport::kClosed:
      return "closed";
    case Error::Transport::kBadReply:
      return "bad-reply";
  }
  return "?";
}

namespace {

// Descriptions come from servers and system libraries; ToString promises one line.
std::string OneLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

std::string Error::ToString() const {
  std::string out;
  if (kind == Kind::kApi) {
    out.append(description.empty() ? std::string("(no description)") : OneLine(description));
    out.append(" (");
    out.append(std::to_string(error_code));
    if (retry_after) {
      out.append(", retry_after=");
      out.append(std::to_string(*retry_after));
    }
    if (migrate_to_chat_id) {
      out.append(", migrate_to_chat_id=");
      out.append(std::to_string(*migrate_to_chat_id));
    }
    out.append(")");
    return out;
  }
  out.append("transport (");
  out.append(TransportName(transport));
  out.append("): ");
  out.append(OneLine(description));
  return out;
}

}  // namespace tginvite
