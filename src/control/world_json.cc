#include "control/world_json.h"

#include <boost/json/parse.hpp>

#include "common/crypto.h"
#include "common/utf8.h"

namespace tgi::control {
namespace json = boost::json;

namespace {

Unexpected<Error> At(const std::string& path, const std::string& message) {
  return Fail(path + ": " + message);
}

const char* KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

// Reads fields of one JSON object, remembering which were used so unknown ones can be refused
// (a typo in a hand-written file should not pass silently).
class Fields {
 public:
  Fields(const json::object& o, std::string path) : o_(o), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string At(std::string_view key) const { return path_ + "." + std::string(key); }

  const json::value* Find(std::string_view key) {
    used_.emplace_back(key);
    return o_.if_contains(key);
  }

  Result<std::optional<int64_t>, Error> Int(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return std::optional<int64_t>{};
    if (v->is_int64()) return std::optional<int64_t>(v->as_int64());
    if (v->is_uint64()) return control::At(At(key), "number out of range");
    return control::At(At(key), std::string("must be an integer, not ") + KindName(*v));
  }

  Result<std::optional<std::string>, Error> String(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return std::optional<std::string>{};
    if (!v->is_string())
      return control::At(At(key), std::string("must be a string, not ") + KindName(*v));
    std::string s(v->as_string());
    if (!utf8::IsValid(s)) return control::At(At(key), "must be valid UTF-8");
    return std::optional<std::string>(std::move(s));
  }

  Result<std::optional<bool>, Error> Bool(std::string_view key) {
    const json::value* v = Find(key);
    if (!v) return std::optional<bool>{};
    if (!v->is_bool())
      return control::At(At(key), std::string("must be true or false, not ") + KindName(*v));
    return std::optional<bool>(v->as_bool());
  }

  Status NoOthers() const {
    for (const auto& kv : o_) {
      bool known = false;
      for (const auto& u : used_) known = known || u == kv.key();
      if (!known) return control::At(At(kv.key()), "unknown field");
    }
    return {};
  }

 private:
  const json::object& o_;
  std::string path_;
  std::vector<std::string> used_;
};

#define TRY_ASSIGN(var, expr)                                 \
  auto var##_result = (expr);                                 \
  if (!var##_result) return Unexpected{var##_result.error()}; \
  auto var = std::move(*var##_result)

Result<const json::object*, Error> AsObject(const json::value& v, const std::string& path) {
  if (!v.is_object()) return At(path, std::string("must be an object, not ") + KindName(v));
  return &v.as_object();
}

Result<int64_t, Error> IdField(Fields& f, std::optional<int64_t> from_url, std::string_view key) {
  TRY_ASSIGN(id, f.Int(key));
  if (id && from_url && *id != *from_url) return At(f.At(key), "does not match the id in the URL");
  if (id) return *id;
  if (from_url) return *from_url;
  return At(f.At(key), "is required");
}

}  // namespace

Result<json::value, Error> ParseJson(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Fail("body is not valid JSON: " + ec.message());
  return v;
}

Result<domain::WorldFile::BotEntry, Error> ParseBot(const json::value& v,
                                                    std::optional<int64_t> url_id,
                                                    const std::string& path) {
  TRY_ASSIGN(o, AsObject(v, path));
  Fields f(*o, path);
  TRY_ASSIGN(id, IdField(f, url_id, "id"));
  TRY_ASSIGN(token, f.String("token"));
  TRY_ASSIGN(username, f.String("username"));
  TRY_ASSIGN(first_name, f.String("first_name"));
  TRY_ASSIGN(last_name, f.String("last_name"));
  domain::WorldFile::BotEntry e;
  e.bot.id = UserId(id);
  e.user.id = UserId(id);
  e.user.is_bot = true;
  if (!token) return At(f.At("token"), "is required");
  std::string prefix = std::to_string(id) + ":";
  if (token->compare(0, prefix.size(), prefix) != 0)
    return At(f.At("token"), "must start with the bot id and ':'");
  std::string_view secret = std::string_view(*token).substr(prefix.size());
  bool ok = secret.size() >= 24 && token->size() <= 80;
  for (char c : secret)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_');
  // The message never repeats the token: it is a secret.
  if (!ok)
    return At(f.At("token"), "the part after ':' must be 24 to 70 characters of A-Z a-z 0-9 _ -");
  e.bot.token_sha256 = crypto::Sha256(*token);
  if (!username) return At(f.At("username"), "is required");
  if (!first_name) return At(f.At("first_name"), "is required");
  e.user.username = *username;
  e.user.first_name = *first_name;
  e.user.last_name = last_name.value_or("");
  struct Flag {
    const char* name;
    bool domain::Bot::*field;
  };
  static constexpr Flag kFlags[] = {
      {"can_join_groups", &domain::Bot::can_join_groups},
      {"can_read_all_group_messages", &domain::Bot::can_read_all_group_messages},
      {"supports_inline_queries", &domain::Bot::supports_inline_queries},
      {"supports_guest_queries", &domain::Bot::supports_guest_queries},
      {"can_connect_to_business", &domain::Bot::can_connect_to_business},
      {"has_main_web_app", &domain::Bot::has_main_web_app},
      {"has_topics_enabled", &domain::Bot::has_topics_enabled},
      {"allows_users_to_create_topics", &domain::Bot::allows_users_to_create_topics},
      {"can_manage_bots", &domain::Bot::can_manage_bots},
  };
  for (const Flag& flag : kFlags) {
    TRY_ASSIGN(value, f.Bool(flag.name));
    if (value) e.bot.*flag.field = *value;
  }
  if (auto st = f.NoOthers(); !st) return Unexpected{st.error()};
  return e;
}

Result<domain::User, Error> ParseUser(const json::value& v, std::optional<int64_t> url_id,
                                      const std::string& path) {
  TRY_ASSIGN(o, AsObject(v, path));
  Fields f(*o, path);
  TRY_ASSIGN(id, IdField(f, url_id, "id"));
  TRY_ASSIGN(first_name, f.String("first_name"));
  TRY_ASSIGN(last_name, f.String("last_name"));
  TRY_ASSIGN(username, f.String("username"));
  TRY_ASSIGN(language_code, f.String("language_code"));
  TRY_ASSIGN(is_premium, f.Bool("is_premium"));
  if (!first_name) return At(f.At("first_name"), "is required");
  if (auto st = f.NoOthers(); !st) return Unexpected{st.error()};
  return domain::User{.id = UserId(id),
                      .first_name = *first_name,
                      .last_name = last_name.value_or(""),
                      .username = username.value_or(""),
                      .language_code = language_code.value_or(""),
                      .is_premium = is_premium.value_or(false)};
}

// A ChatPermissions object by its Bot API names ("can_send_messages": true, ...), over `base`: the
// fields not given keep base's value. can_send_media_messages is not a field here: the six media
// permissions are given one by one.
Result<domain::Permissions, Error> ParsePermissions(const json::value& v, domain::Permissions base,
                                                    const std::string& path) {
  TRY_ASSIGN(o, AsObject(v, path));
  for (const auto& kv : *o) {
    std::string at = path + "." + std::string(kv.key());
    auto perm = domain::PermissionFromName(kv.key());
    if (!perm) return At(at, "unknown permission");
    if (!kv.value().is_bool()) return At(at, "must be true or false");
    base.Set(*perm, kv.value().as_bool());
  }
  return base;
}

Result<domain::Chat, Error> ParseChat(const json::value& v, std::optional<int64_t> url_id,
                                      const std::string& path) {
  TRY_ASSIGN(o, AsObject(v, path));
  Fields f(*o, path);
  TRY_ASSIGN(id, IdField(f, url_id, "id"));
  TRY_ASSIGN(type, f.String("type"));
  TRY_ASSIGN(title, f.String("title"));
  TRY_ASSIGN(username, f.String("username"));
  TRY_ASSIGN(description, f.String("description"));
  f.Find("members");  // read by ParseWorldFile
  domain::Chat chat{.id = ChatId(id)};
  if (!type) return At(f.At("type"), "is required");
  if (*type == "group") {
    chat.type = domain::ChatType::kGroup;
  } else if (*type == "supergroup") {
    chat.type = domain::ChatType::kSupergroup;
  } else if (*type == "channel") {
    chat.type = domain::ChatType::kChannel;
  } else {
    return At(f.At("type"), "unknown type \"" + *type + "\" (group, supergroup or channel)");
  }
  if (!title) return At(f.At("title"), "is required");
  chat.title = *title;
  chat.username = username.value_or("");
  if (!chat.username.empty() && chat.username[0] == '@') chat.username.erase(0, 1);
  chat.description = description.value_or("");
  if (const json::value* perms = f.Find("permissions")) {
    // Named decision: a chat's fields not given keep the defaults of a new chat; a chat put
    // without `permissions` gets the defaults, as a chat put without a description has none.
    if (chat.type == domain::ChatType::kChannel)
      return At(f.At("permissions"), "channels have no member permissions");
    TRY_ASSIGN(p,
               ParsePermissions(*perms, domain::Permissions::ChatDefaults(), f.At("permissions")));
    chat.permissions = p;
  }
  if (auto st = f.NoOthers(); !st) return Unexpected{st.error()};
  return chat;
}

Result<domain::Member, Error> ParseMember(const json::value& v, ChatId chat,
                                          std::optional<int64_t> url_user,
                                          const std::string& path) {
  TRY_ASSIGN(o, AsObject(v, path));
  Fields f(*o, path);
  TRY_ASSIGN(user_id, IdField(f, url_user, "user_id"));
  TRY_ASSIGN(status, f.String("status"));
  TRY_ASSIGN(custom_title, f.String("custom_title"));
  TRY_ASSIGN(tag, f.String("tag"));
  TRY_ASSIGN(until_date, f.Int("until_date"));
  domain::Member m{.chat = chat, .user = UserId(user_id)};
  if (!status) return At(f.At("status"), "is required");
  static constexpr std::pair<const char*, domain::MemberStatus> kStatuses[] = {
      {"creator", domain::MemberStatus::kCreator},
      {"administrator", domain::MemberStatus::kAdministrator},
      {"member", domain::MemberStatus::kMember},
      {"restricted", domain::MemberStatus::kRestricted},
      {"left", domain::MemberStatus::kLeft},
      {"kicked", domain::MemberStatus::kKicked},
  };
  bool found = false;
  for (const auto& [name, s] : kStatuses)
    if (*status == name) m.status = s, found = true;
  if (!found)
    return At(f.At("status"), "unknown status \"" + *status +
                                  "\" (creator, administrator, member, restricted, left, kicked)");
  if (const json::value* rights = f.Find("rights")) {
    std::string rpath = f.At("rights");
    TRY_ASSIGN(ro, AsObject(*rights, rpath));
    for (const auto& kv : *ro) {
      auto right = domain::RightFromName(kv.key());
      if (!right) return At(rpath + "." + std::string(kv.key()), "unknown right");
      if (!kv.value().is_bool())
        return At(rpath + "." + std::string(kv.key()), "must be true or false");
      m.rights.Set(*right, kv.value().as_bool());
    }
  }
  if (const json::value* perms = f.Find("permissions")) {
    // A restricted member's permissions: those not given are false (none given: a full mute).
    if (m.status != domain::MemberStatus::kRestricted)
      return At(f.At("permissions"), "only restricted members have permissions");
    TRY_ASSIGN(p, ParsePermissions(*perms, domain::Permissions{}, f.At("permissions")));
    m.permissions = p;
  }
  // A member's tag (setChatMemberTag) and an administrator's title are one field of the record.
  if (tag) {
    if (m.status != domain::MemberStatus::kMember && m.status != domain::MemberStatus::kRestricted)
      return At(f.At("tag"), "only members and restricted members have a tag");
    if (custom_title) return At(f.At("tag"), "give custom_title or tag, not both");
    custom_title = tag;
  }
  m.custom_title = custom_title.value_or("");
  m.until_date = until_date.value_or(0);
  if (auto st = f.NoOthers(); !st) return Unexpected{st.error()};
  return m;
}

Result<domain::WorldFile, Error> ParseWorldFile(std::string_view text) {
  TRY_ASSIGN(doc, ParseJson(text));
  TRY_ASSIGN(root, AsObject(doc, "$"));
  domain::WorldFile file;
  for (const auto& kv : *root) {
    std::string key(kv.key());
    if (key != "bots" && key != "users" && key != "chats") return At("$." + key, "unknown field");
    if (!kv.value().is_array()) return At("$." + key, "must be an array");
  }
  auto array = [&](const char* key) -> const json::array* {
    const json::value* v = root->if_contains(key);
    return v ? &v->as_array() : nullptr;
  };
  if (const json::array* bots = array("bots"))
    for (size_t i = 0; i < bots->size(); ++i) {
      TRY_ASSIGN(bot, ParseBot((*bots)[i], std::nullopt, "$.bots[" + std::to_string(i) + "]"));
      file.bots.push_back(std::move(bot));
    }
  if (const json::array* users = array("users"))
    for (size_t i = 0; i < users->size(); ++i) {
      TRY_ASSIGN(user, ParseUser((*users)[i], std::nullopt, "$.users[" + std::to_string(i) + "]"));
      file.users.push_back(std::move(user));
    }
  if (const json::array* chats = array("chats"))
    for (size_t i = 0; i < chats->size(); ++i) {
      std::string path = "$.chats[" + std::to_string(i) + "]";
      TRY_ASSIGN(chat, ParseChat((*chats)[i], std::nullopt, path));
      domain::WorldFile::ChatEntry entry{.chat = chat};
      if (const json::value* members = (*chats)[i].as_object().if_contains("members")) {
        if (!members->is_array()) return At(path + ".members", "must be an array");
        const json::array& list = members->as_array();
        for (size_t k = 0; k < list.size(); ++k) {
          TRY_ASSIGN(member, ParseMember(list[k], chat.id, std::nullopt,
                                         path + ".members[" + std::to_string(k) + "]"));
          entry.members.push_back(member);
        }
      }
      file.chats.push_back(std::move(entry));
    }
  return file;
}

}  // namespace tgi::control
