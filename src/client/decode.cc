#include "decode.h"

#include <boost/json/parse.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errors.h"

namespace tginvite::client_internal {

namespace json = boost::json;

namespace {

Error BadReply(int http_status, std::string description) {
  return TransportError(Error::Transport::kBadReply, std::move(description), http_status);
}

std::optional<std::int64_t> AsInt64(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() &&
      v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

std::optional<std::int32_t> AsInt32(const json::value& v) {
  const std::optional<std::int64_t> n = AsInt64(v);
  if (!n || *n < std::numeric_limits<std::int32_t>::min() ||
      *n > std::numeric_limits<std::int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<std::int32_t>(*n);
}

// Reads the known fields of one object. Absent fields leave their target as it is; the first
// field of a wrong type (or a required one that is absent) is remembered as the problem.
class Fields {
 public:
  Fields(const json::object& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  void Int64(std::string_view key, std::int64_t& out, bool required = false) {
    if (const json::value* v = Find(key, required)) {
      if (auto n = AsInt64(*v)) {
        out = *n;
      } else {
        Wrong(key, "an integer");
      }
    }
  }
  void Int64(std::string_view key, std::optional<std::int64_t>& out) {
    std::int64_t n = 0;
    if (Has(key) && Check(key, AsInt64(*object_.if_contains(key)), n)) out = n;
  }
  void Int32(std::string_view key, std::optional<std::int32_t>& out) {
    std::int32_t n = 0;
    if (Has(key) && Check(key, AsInt32(*object_.if_contains(key)), n)) out = n;
  }
  void Int(std::string_view key, int& out) {
    std::int32_t n = 0;
    if (Has(key) && Check(key, AsInt32(*object_.if_contains(key)), n)) out = n;
  }
  void Bool(std::string_view key, bool& out) {
    if (const json::value* v = Find(key, false)) {
      if (v->is_bool()) {
        out = v->get_bool();
      } else {
        Wrong(key, "true or false");
      }
    }
  }
  void String(std::string_view key, std::string& out, bool required = false) {
    if (const json::value* v = Find(key, required)) {
      if (v->is_string()) {
        out = std::string(v->get_string());
      } else {
        Wrong(key, "a string");
      }
    }
  }
  void Strings(std::string_view key, std::vector<std::string>& out) {
    if (const json::value* v = Find(key, false)) {
      if (!v->is_array()) return Wrong(key, "an array of strings");
      std::vector<std::string> items;
      for (const json::value& item : v->get_array()) {
        if (!item.is_string()) return Wrong(key, "an array of strings");
        items.emplace_back(item.get_string());
      }
      out = std::move(items);
    }
  }
  // A nested object, for its own Fields; nullptr when absent (or of the wrong type, noted).
  const json::object* Object(std::string_view key, bool required) {
    const json::value* v = Find(key, required);
    if (!v) return nullptr;
    if (!v->is_object()) {
      Wrong(key, "an object");
      return nullptr;
    }
    return &v->get_object();
  }

  void Note(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
  }
  const std::string& problem() const { return problem_; }
  const std::string& prefix() const { return prefix_; }

 private:
  bool Has(std::string_view key) const { return object_.if_contains(key) != nullptr; }
  template <class N>
  bool Check(std::string_view key, const std::optional<N>& parsed, N& out) {
    if (!parsed) {
      Wrong(key, "an integer in range");
      return false;
    }
    out = *parsed;
    return true;
  }
  const json::value* Find(std::string_view key, bool required) {
    const json::value* v = object_.if_contains(key);
    if (!v && required) Note(Cat({"\"", prefix_, key, "\" is missing"}));
    return v;
  }
  void Wrong(std::string_view key, std::string_view expected) {
    Note(Cat({"\"", prefix_, key, "\" is not ", expected}));
  }

  const json::object& object_;
  std::string prefix_;
  std::string problem_;
};

Error WrongResult(std::string_view method, std::string_view type, std::string_view problem,
                  int http_status) {
  return BadReply(http_status, Cat({method, ": the result is not ", type,
                                    problem.empty() ? "" : ": ", problem}));
}

void ReadUser(Fields& f, User& u) {
  f.Int64("id", u.id, true);
  f.Bool("is_bot", u.is_bot);
  f.String("first_name", u.first_name);
  f.String("last_name", u.last_name);
  f.String("username", u.username);
  f.String("language_code", u.language_code);
  f.Bool("is_premium", u.is_premium);
  f.Bool("can_join_groups", u.can_join_groups);
  f.Bool("can_read_all_group_messages", u.can_read_all_group_messages);
  f.Bool("supports_inline_queries", u.supports_inline_queries);
}

std::string DescribeBody(const HttpReply& reply) {
  return Cat({"HTTP ", std::to_string(reply.status), ", ",
              reply.content_type.empty() ? std::string("no Content-Type") : reply.content_type,
              ", ", std::to_string(reply.body.size()), " bytes"});
}

}  // namespace

Result<json::value> DecodeEnvelope(const HttpReply& reply) {
  boost::system::error_code ec;
  json::value doc = json::parse(reply.body, ec);
  if (ec) {
    return BadReply(reply.status, Cat({"the answer is not JSON (", DescribeBody(reply), ")"}));
  }
  const json::object* envelope = doc.if_object();
  const json::value* ok = envelope ? envelope->if_contains("ok") : nullptr;
  if (!ok || !ok->is_bool()) {
    return BadReply(reply.status, Cat({"the answer is JSON without the Bot API envelope (",
                                       DescribeBody(reply), ")"}));
  }
  if (ok->get_bool()) {
    const json::value* result = envelope->if_contains("result");
    if (!result) {
      return BadReply(reply.status, Cat({"the answer has \"ok\":true but no result (",
                                         DescribeBody(reply), ")"}));
    }
    return *result;
  }

  Error e;
  e.kind = Error::Kind::kApi;
  e.transport = Error::Transport::kNone;
  e.error_code = reply.status;
  if (const json::value* code = envelope->if_contains("error_code")) {
    if (auto n = AsInt32(*code)) e.error_code = *n;
  }
  if (const json::value* d = envelope->if_contains("description"); d && d->is_string()) {
    e.description = std::string(d->get_string());
  }
  if (const json::value* p = envelope->if_contains("parameters"); p && p->is_object()) {
    if (const json::value* r = p->get_object().if_contains("retry_after")) {
      if (auto n = AsInt32(*r)) e.retry_after = *n;
    }
    if (const json::value* m = p->get_object().if_contains("migrate_to_chat_id")) {
      if (auto n = AsInt64(*m)) e.migrate_to_chat_id = *n;
    }
  }
  return e;
}

Result<User> DecodeUser(const json::value& v, std::string_view method, int http_status) {
  if (!v.is_object()) return WrongResult(method, "a User", "", http_status);
  Fields f(v.get_object(), "");
  User u;
  ReadUser(f, u);
  if (!f.problem().empty()) return WrongResult(method, "a User", f.problem(), http_status);
  return u;
}

Result<ChatFullInfo> DecodeChatFullInfo(const json::value& v, std::string_view method,
                                        int http_status) {
  if (!v.is_object()) return WrongResult(method, "a ChatFullInfo", "", http_status);
  Fields f(v.get_object(), "");
  ChatFullInfo c;
  f.Int64("id", c.id, true);
  f.String("type", c.type, true);
  f.String("title", c.title);
  f.String("username", c.username);
  f.String("first_name", c.first_name);
  f.String("last_name", c.last_name);
  f.Strings("active_usernames", c.active_usernames);
  f.String("description", c.description);
  f.String("invite_link", c.invite_link);
  f.Int("accent_color_id", c.accent_color_id);
  f.Int("max_reaction_count", c.max_reaction_count);
  if (!f.problem().empty()) return WrongResult(method, "a ChatFullInfo", f.problem(), http_status);
  return c;
}

Result<ChatInviteLink> DecodeChatInviteLink(const json::value& v, std::string_view method,
                                            int http_status) {
  if (!v.is_object()) return WrongResult(method, "a ChatInviteLink", "", http_status);
  Fields f(v.get_object(), "");
  ChatInviteLink l;
  f.String("invite_link", l.invite_link, true);
  if (const json::object* creator = f.Object("creator", false)) {
    Fields cf(*creator, "creator.");
    ReadUser(cf, l.creator);
    if (!cf.problem().empty()) f.Note(cf.problem());
  }
  f.Bool("creates_join_request", l.creates_join_request);
  f.Bool("is_primary", l.is_primary);
  f.Bool("is_revoked", l.is_revoked);
  f.String("name", l.name);
  f.Int64("expire_date", l.expire_date);
  f.Int32("member_limit", l.member_limit);
  f.Int32("pending_join_request_count", l.pending_join_request_count);
  f.Int32("subscription_period", l.subscription_period);
  f.Int32("subscription_price", l.subscription_price);
  if (!f.problem().empty()) {
    return WrongResult(method, "a ChatInviteLink", f.problem(), http_status);
  }
  return l;
}

Result<std::string> DecodeString(const json::value& v, std::string_view method, int http_status) {
  if (!v.is_string()) return WrongResult(method, "a string", "", http_status);
  return std::string(v.get_string());
}

Result<bool> DecodeBool(const json::value& v, std::string_view method, int http_status) {
  if (!v.is_bool()) return WrongResult(method, "true or false", "", http_status);
  return v.get_bool();
}

}  // namespace tginvite::client_internal
