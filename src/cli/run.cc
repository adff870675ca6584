#include "cli/run.h"

#include <boost/json.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>

#include "common/ascii.h"

namespace tgi::cli {
namespace {

// A value on one `key: value` line: line breaks shown as \n so every field stays one line.
std::string OneLine(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\n') {
      out.append("\\n");
    } else if (c == '\r') {
      out.append("\\r");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Error texts come from servers and system libraries: control characters (line breaks) become
// spaces, so an error is always one line.
std::string Flatten(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

void Field(std::ostream& out, std::string_view key, std::string_view value) {
  out << key << ": " << OneLine(value) << "\n";
}

void FieldIfSet(std::ostream& out, std::string_view key, std::string_view value) {
  if (!value.empty()) Field(out, key, value);
}

const char* Bool(bool b) { return b ? "true" : "false"; }

void PrintUser(std::ostream& out, const tginvite::User& u) {
  Field(out, "id", std::to_string(u.id));
  Field(out, "is_bot", Bool(u.is_bot));
  Field(out, "first_name", u.first_name);
  FieldIfSet(out, "last_name", u.last_name);
  FieldIfSet(out, "username", u.username);
  Field(out, "can_join_groups", Bool(u.can_join_groups));
  Field(out, "can_read_all_group_messages", Bool(u.can_read_all_group_messages));
  Field(out, "supports_inline_queries", Bool(u.supports_inline_queries));
}

void PrintChat(std::ostream& out, const tginvite::ChatFullInfo& c) {
  Field(out, "id", std::to_string(c.id));
  Field(out, "type", c.type);
  FieldIfSet(out, "title", c.title);
  FieldIfSet(out, "username", c.username);
  FieldIfSet(out, "first_name", c.first_name);
  FieldIfSet(out, "last_name", c.last_name);
  std::string usernames;
  for (const auto& name : c.active_usernames) {
    if (!usernames.empty()) usernames.append(", ");
    usernames.append(name);
  }
  FieldIfSet(out, "active_usernames", usernames);
  FieldIfSet(out, "description", c.description);
  FieldIfSet(out, "invite_link", c.invite_link);
}

// Prints a result, or the error line; returns the exit code.
template <class T, class Print>
int Report(const tginvite::Result<T>& r, std::ostream& out, std::ostream& err,
           std::string_view token, Print print) {
  if (!r) {
    err << "tginvite: " << Scrub(DescribeError(r.error()), token) << "\n";
    return ExitCodeFor(r.error());
  }
  print(*r);
  out.flush();
  if (!out) {
    err << "tginvite: cannot write the output\n";
    return kExitOther;
  }
  return kExitOk;
}

}  // namespace

TokenResult LoadToken(const Invocation& inv, const char* env_token) {
  TokenResult r;
  if (inv.token_file) {
    const std::string& path = *inv.token_file;
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      r.error = "cannot read the token file ";
      r.error.append(path);
      if (errno != 0) r.error.append(": ").append(std::strerror(errno));
      return r;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string_view content = ascii::Trim(text.view(), ascii::kWhitespace);
    if (content.find_first_of("\r\n") != std::string_view::npos) {
      r.error = "the token file ";
      r.error.append(path).append(" has more than one line");
      return r;
    }
    if (content.empty()) {
      r.error = "the token file ";
      r.error.append(path).append(" is empty");
      return r;
    }
    r.token.assign(content);
    return r;
  }
  std::string_view env =
      env_token ? ascii::Trim(env_token, ascii::kWhitespace) : std::string_view();
  if (env.empty()) {
    r.error =
        "no bot token: set TELEGRAM_BOT_TOKEN or use --token-file FILE (there is no --token "
        "flag: arguments are visible to other users)";
    return r;
  }
  r.token.assign(env);
  return r;
}

tginvite::ClientOptions OptionsFor(const Invocation& inv) {
  tginvite::ClientOptions o;
  o.api_url = inv.api_url;
  if (inv.timeout_seconds) {
    o.connect_timeout = std::chrono::seconds(*inv.timeout_seconds);
    o.request_timeout = std::chrono::seconds(*inv.timeout_seconds);
  }
  if (inv.retries) o.max_429_retries = *inv.retries;
  o.follow_migration = inv.follow_migration;
  return o;
}

std::string ParamsJson(const Invocation& inv) {
  boost::json::object p;
  if (inv.chat) {
    if (inv.chat->is_id()) {
      p["chat_id"] = inv.chat->id();
    } else {
      p["chat_id"] = inv.chat->username();
    }
  }
  if (inv.link) p["invite_link"] = *inv.link;
  if (inv.user) p["user_id"] = *inv.user;
  const tginvite::CreateLinkParams& l = inv.link_params;
  if (l.name) p["name"] = *l.name;
  if (l.expire_date) p["expire_date"] = *l.expire_date;
  if (l.member_limit) p["member_limit"] = *l.member_limit;
  if (l.creates_join_request) p["creates_join_request"] = *l.creates_join_request;
  return boost::json::serialize(p);
}

std::string DescribeError(const tginvite::Error& e) {
  std::string out;
  if (e.is_api()) {
    out = e.description.empty() ? "the Bot API answered an error" : Flatten(e.description);
    out.append(" (error ").append(std::to_string(e.error_code));
    if (e.retry_after && e.description.find("retry after") == std::string::npos) {
      out.append(", retry_after ").append(std::to_string(*e.retry_after));
    }
    if (e.migrate_to_chat_id) {
      out.append(", migrate_to_chat_id ").append(std::to_string(*e.migrate_to_chat_id));
    }
    out.append(")");
    return out;
  }
  if (e.description.empty()) {
    out = "transport error (";
    out.append(tginvite::TransportName(e.transport)).append(")");
    return out;
  }
  return Flatten(e.description);
}

int ExitCodeFor(const tginvite::Error& e) {
  if (e.is_api()) return kExitApi;
  if (e.transport == tginvite::Error::Transport::kBadUrl) return kExitUsage;
  return kExitTransport;
}

std::string Scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 7)) {
    text.replace(pos, secret.size(), "<token>");
  }
  return text;
}

int RunCall(const Invocation& inv, tginvite::Client& client, std::ostream& out, std::ostream& err,
            std::string_view token) {
  if (inv.json) {
    // The whole `result` as the server sent it, whatever the subcommand.
    return Report(client.Call(MethodName(inv.subcommand), ParamsJson(inv)), out, err, token,
                  [&](const std::string& json) { out << json << "\n"; });
  }
  auto print_link = [&](const tginvite::ChatInviteLink& l) { out << l.invite_link << "\n"; };
  auto print_nothing = [](bool) {};
  switch (inv.subcommand) {
    case Subcommand::kExport:
      return Report(client.ExportChatInviteLink(*inv.chat), out, err, token,
                    [&](const std::string& link) { out << link << "\n"; });
    case Subcommand::kCreate:
      return Report(client.CreateChatInviteLink(*inv.chat, inv.link_params), out, err, token,
                    print_link);
    case Subcommand::kEdit:
      return Report(client.EditChatInviteLink(*inv.chat, *inv.link, inv.link_params), out, err,
                    token, print_link);
    case Subcommand::kRevoke:
      return Report(client.RevokeChatInviteLink(*inv.chat, *inv.link), out, err, token, print_link);
    case Subcommand::kApprove:
      return Report(client.ApproveChatJoinRequest(*inv.chat, *inv.user), out, err, token,
                    print_nothing);
    case Subcommand::kDecline:
      return Report(client.DeclineChatJoinRequest(*inv.chat, *inv.user), out, err, token,
                    print_nothing);
    case Subcommand::kGetChat:
      return Report(client.GetChat(*inv.chat), out, err, token,
                    [&](const tginvite::ChatFullInfo& c) { PrintChat(out, c); });
    case Subcommand::kGetMe:
      return Report(client.GetMe(), out, err, token,
                    [&](const tginvite::User& u) { PrintUser(out, u); });
    case Subcommand::kNone:
      break;
  }
  err << "tginvite: no subcommand given (see tginvite --help)\n";
  return kExitUsage;
}

}  // namespace tgi::cli
