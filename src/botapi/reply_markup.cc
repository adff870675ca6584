#include "botapi/reply_markup.h"

#include <algorithm>
#include <initializer_list>

#include "botapi/json_reader.h"
#include "botapi/json_writer.h"
#include "common/ascii.h"
#include "common/utf8.h"
#include "text/fix.h"
#include "text/links.h"

namespace tgi::botapi {
namespace {

// The parsers below return TDLib's detail texts (json_reader.h); the caller words the ApiError.
using Detail = std::string;

constexpr size_t kMaxButtonsPerRow = 12;      // ReplyMarkup.cpp
constexpr size_t kMaxButtons = 300;           // ReplyMarkup.cpp
constexpr size_t kMaxCallbackDataBytes = 64;  // the server's limit (docs: 1-64 bytes)

// ---------------------------------------------------------------------------------------------
// Step 1: the Bot API layer (Client.cpp).

// get_button_style: lowercased, "" and "default" the default.
Result<ButtonStyle, Detail> ParseStyle(const JsonObject& o) {
  auto style = o.OptionalString("style");
  if (!style) return Unexpected{style.error()};
  std::string s = ascii::Lower(*style);
  if (s.empty() || s == "default") return ButtonStyle::kDefault;
  if (s == "primary") return ButtonStyle::kPrimary;
  if (s == "danger") return ButtonStyle::kDanger;
  if (s == "success") return ButtonStyle::kSuccess;
  return Unexpected{Detail(kInvalidButtonStyle)};
}

// The options of a button that are checked but not kept: a list of boolean fields.
Result<void, Detail> CheckBools(const JsonObject& o,
                                std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    auto b = o.OptionalBool(name);
    if (!b) return Unexpected{b.error()};
  }
  return {};
}

// get_chat_administrator_rights, for request_chat's two rights objects.
Result<void, Detail> CheckAdministratorRights(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{Detail(kChatAdministratorRightsNotObject)};
  return CheckBools(v.object(), {"can_manage_chat", "can_change_info", "can_post_messages",
                                 "can_edit_messages", "can_delete_messages", "can_invite_users",
                                 "can_restrict_members", "can_pin_messages", "can_manage_topics",
                                 "can_promote_members", "can_manage_video_chats",
                                 "can_post_stories", "can_edit_stories", "can_delete_stories",
                                 "can_manage_direct_messages", "can_manage_tags", "is_anonymous"});
}

// get_keyboard_button_type: the first match wins, later fields are not read.
Result<void, Detail> ParseKeyboardButtonType(const JsonObject& o, KeyboardButton& b) {
  auto phone = o.OptionalBool("request_phone_number");
  if (!phone) return Unexpected{phone.error()};
  auto contact = o.OptionalBool("request_contact");
  if (!contact) return Unexpected{contact.error()};
  if (*phone || *contact) {
    b.type = KeyboardButtonType::kRequestContact;
    return {};
  }
  auto location = o.OptionalBool("request_location");
  if (!location) return Unexpected{location.error()};
  if (*location) {
    b.type = KeyboardButtonType::kRequestLocation;
    return {};
  }
  if (o.Has("request_poll")) {
    auto poll = o.RequiredField("request_poll", JsonType::kObject);
    if (!poll) return Unexpected{poll.error()};
    auto type = (*poll)->object().OptionalString("type");
    if (!type) return Unexpected{type.error()};
    b.type = KeyboardButtonType::kRequestPoll;
    if (*type == "quiz" || *type == "regular") b.poll_type = *type;
    return {};
  }
  if (o.Has("web_app")) {
    auto web_app = o.RequiredField("web_app", JsonType::kObject);
    if (!web_app) return Unexpected{web_app.error()};
    auto url = (*web_app)->object().RequiredString("url");
    if (!url) return Unexpected{url.error()};
    b.type = KeyboardButtonType::kWebApp;
    b.url = std::move(*url);
    return {};
  }
  if (o.Has("request_user") || o.Has("request_users")) {
    auto request = o.RequiredField(o.Has("request_users") ? "request_users" : "request_user",
                                   JsonType::kObject);
    if (!request) return Unexpected{request.error()};
    const JsonObject& r = (*request)->object();
    auto id = r.RequiredInt("request_id");
    if (!id) return Unexpected{id.error()};
    if (auto ok = CheckBools(r, {"user_is_bot", "user_is_premium"}); !ok) return ok;
    auto max_quantity = r.OptionalInt("max_quantity", 1);
    if (!max_quantity) return Unexpected{max_quantity.error()};
    if (auto ok = CheckBools(r, {"request_name", "request_username", "request_photo"}); !ok)
      return ok;
    b.type = KeyboardButtonType::kRequestUsers;
    b.request_id = *id;
    b.max_quantity = *max_quantity;
    return {};
  }
  if (o.Has("request_chat")) {
    auto request = o.RequiredField("request_chat", JsonType::kObject);
    if (!request) return Unexpected{request.error()};
    const JsonObject& r = (*request)->object();
    auto id = r.RequiredInt("request_id");
    if (!id) return Unexpected{id.error()};
    if (auto ok = CheckBools(
            r, {"chat_is_channel", "chat_is_forum", "chat_has_username", "chat_is_created"});
        !ok)
      return ok;
    for (std::string_view rights : {"user_administrator_rights", "bot_administrator_rights"}) {
      if (const JsonValue* v = r.Find(rights)) {
        if (auto ok = CheckAdministratorRights(*v); !ok) return ok;
      }
    }
    if (auto ok =
            CheckBools(r, {"bot_is_member", "request_title", "request_username", "request_photo"});
        !ok)
      return ok;
    b.type = KeyboardButtonType::kRequestChat;
    b.request_id = *id;
    return {};
  }
  if (o.Has("request_managed_bot")) {
    auto request = o.RequiredField("request_managed_bot", JsonType::kObject);
    if (!request) return Unexpected{request.error()};
    const JsonObject& r = (*request)->object();
    auto id = r.RequiredInt("request_id");
    if (!id) return Unexpected{id.error()};
    for (std::string_view name : {"suggested_name", "suggested_username"}) {
      auto s = r.OptionalString(name);
      if (!s) return Unexpected{s.error()};
    }
    b.type = KeyboardButtonType::kRequestManagedBot;
    b.request_id = *id;
    return {};
  }
  b.type = KeyboardButtonType::kText;
  return {};
}

// get_keyboard_button: a string is a text button.
Result<KeyboardButton, Detail> ParseKeyboardButton(const JsonValue& v) {
  KeyboardButton b;
  if (v.type() == JsonType::kString) {
    b.text = v.text();
    return b;
  }
  if (v.type() != JsonType::kObject) return Unexpected{Detail(kKeyboardButtonNotStringOrObject)};
  const JsonObject& o = v.object();
  auto text = o.RequiredString("text");
  if (!text) return Unexpected{text.error()};
  auto icon = o.OptionalLong("icon_custom_emoji_id");
  if (!icon) return Unexpected{icon.error()};
  auto style = ParseStyle(o);
  if (!style) return Unexpected{style.error()};
  b.text = std::move(*text);
  b.icon_custom_emoji_id = *icon;
  b.style = *style;
  if (auto ok = ParseKeyboardButtonType(o, b); !ok) return Unexpected{ok.error()};
  return b;
}

bool IsValidBotUsernameChar(char c) {
  return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// get_inline_keyboard_button_type: the first match wins, later fields are not read.
Result<void, Detail> ParseInlineButtonType(const JsonObject& o, InlineButton& b) {
  auto url = o.OptionalString("url");
  if (!url) return Unexpected{url.error()};
  if (!url->empty()) {
    b.type = InlineButtonType::kUrl;
    b.data = std::move(*url);
    return {};
  }
  auto callback_data = o.OptionalString("callback_data");
  if (!callback_data) return Unexpected{callback_data.error()};
  if (!callback_data->empty()) {
    b.type = InlineButtonType::kCallback;
    b.data = std::move(*callback_data);
    return {};
  }
  if (o.Has("callback_game")) {  // any value, even null or false
    b.type = InlineButtonType::kCallbackGame;
    return {};
  }
  if (o.Has("pay")) {
    b.type = InlineButtonType::kPay;
    return {};
  }
  if (o.Has("switch_inline_query")) {
    auto query = o.RequiredString("switch_inline_query");
    if (!query) return Unexpected{query.error()};
    b.type = InlineButtonType::kSwitchInline;
    b.data = std::move(*query);
    return {};
  }
  if (o.Has("switch_inline_query_chosen_chat")) {
    auto chosen = o.RequiredField("switch_inline_query_chosen_chat", JsonType::kObject);
    if (!chosen) return Unexpected{chosen.error()};
    const JsonObject& c = (*chosen)->object();
    auto query = c.OptionalString("query");
    if (!query) return Unexpected{query.error()};
    bool* flags[] = {&b.allow_user_chats, &b.allow_bot_chats, &b.allow_group_chats,
                     &b.allow_channel_chats};
    std::string_view names[] = {"allow_user_chats", "allow_bot_chats", "allow_group_chats",
                                "allow_channel_chats"};
    for (size_t i = 0; i < 4; ++i) {
      auto flag = c.OptionalBool(names[i]);
      if (!flag) return Unexpected{flag.error()};
      *flags[i] = *flag;
    }
    b.type = InlineButtonType::kSwitchInline;
    b.data = std::move(*query);
    return {};
  }
  if (o.Has("switch_inline_query_current_chat")) {
    auto query = o.RequiredString("switch_inline_query_current_chat");
    if (!query) return Unexpected{query.error()};
    b.type = InlineButtonType::kSwitchInlineCurrent;
    b.data = std::move(*query);
    return {};
  }
  if (o.Has("login_url")) {
    auto login = o.RequiredField("login_url", JsonType::kObject);
    if (!login) return Unexpected{login.error()};
    const JsonObject& l = (*login)->object();
    auto login_url = l.RequiredString("url");
    if (!login_url) return Unexpected{login_url.error()};
    auto bot_username = l.OptionalString("bot_username");
    if (!bot_username) return Unexpected{bot_username.error()};
    auto write_access = l.OptionalBool("request_write_access");
    if (!write_access) return Unexpected{write_access.error()};
    auto forward_text = l.OptionalString("forward_text");
    if (!forward_text) return Unexpected{forward_text.error()};
    std::string_view name = *bot_username;
    if (!name.empty()) {
      if (name[0] == '@') name.remove_prefix(1);
      if (name.empty() || !std::all_of(name.begin(), name.end(), IsValidBotUsernameChar))
        return Unexpected{Detail(kLoginUrlBotUsernameInvalid)};
    }
    b.type = InlineButtonType::kLoginUrl;
    b.data = std::move(*login_url);
    b.bot_username = std::string(name);
    b.request_write_access = *write_access;
    b.forward_text = std::move(*forward_text);
    return {};
  }
  if (o.Has("web_app")) {
    auto web_app = o.RequiredField("web_app", JsonType::kObject);
    if (!web_app) return Unexpected{web_app.error()};
    auto web_app_url = (*web_app)->object().RequiredString("url");
    if (!web_app_url) return Unexpected{web_app_url.error()};
    b.type = InlineButtonType::kWebApp;
    b.data = std::move(*web_app_url);
    return {};
  }
  if (o.Has("copy_text")) {
    auto copy = o.RequiredField("copy_text", JsonType::kObject);
    if (!copy) return Unexpected{copy.error()};
    auto text = (*copy)->object().RequiredString("text");
    if (!text) return Unexpected{text.error()};
    b.type = InlineButtonType::kCopyText;
    b.data = std::move(*text);
    return {};
  }
  return Unexpected{Detail(kTextButtonsUnallowed)};
}

// get_inline_keyboard_button: text, icon, style, then the type.
Result<InlineButton, Detail> ParseInlineButton(const JsonValue& v) {
  if (v.type() != JsonType::kObject) return Unexpected{Detail(kInlineKeyboardButtonNotObject)};
  const JsonObject& o = v.object();
  InlineButton b;
  auto text = o.RequiredString("text");
  if (!text) return Unexpected{text.error()};
  auto icon = o.OptionalLong("icon_custom_emoji_id");
  if (!icon) return Unexpected{icon.error()};
  auto style = ParseStyle(o);
  if (!style) return Unexpected{style.error()};
  b.text = std::move(*text);
  b.icon_custom_emoji_id = *icon;
  b.style = *style;
  if (auto ok = ParseInlineButtonType(o, b); !ok) return Unexpected{ok.error()};
  return b;
}

}  // namespace

Result<ReplyMarkup, ApiError> ParseReplyMarkup(std::string_view param) {
  ReplyMarkup m;
  if (param.empty()) return m;
  std::optional<JsonValue> v = DecodeJson(param);
  if (!v) return Unexpected{ReplyMarkupNotJson()};
  if (v->type() != JsonType::kObject) return Unexpected{ReplyMarkupNotObject()};
  const JsonObject& o = v->object();

  std::vector<std::vector<KeyboardButton>> rows;
  auto keyboard = o.OptionalField("keyboard", JsonType::kArray);
  if (!keyboard) return Unexpected{JsonFieldError(keyboard.error())};
  if (*keyboard) {
    for (const JsonValue& row : (*keyboard)->array()) {
      if (row.type() != JsonType::kArray) return Unexpected{KeyboardNotArrayOfArrays()};
      auto& new_row = rows.emplace_back();
      for (const JsonValue& button : row.array()) {
        auto b = ParseKeyboardButton(button);
        if (!b) return Unexpected{CantParseKeyboardButton(b.error())};
        new_row.push_back(std::move(*b));
      }
    }
  }

  std::vector<std::vector<InlineButton>> inline_rows;
  auto inline_keyboard = o.OptionalField("inline_keyboard", JsonType::kArray);
  if (!inline_keyboard) return Unexpected{JsonFieldError(inline_keyboard.error())};
  if (*inline_keyboard) {
    for (const JsonValue& row : (*inline_keyboard)->array()) {
      if (row.type() != JsonType::kArray) return Unexpected{InlineKeyboardNotArrayOfArrays()};
      auto& new_row = inline_rows.emplace_back();
      for (const JsonValue& button : row.array()) {
        auto b = ParseInlineButton(button);
        if (!b) return Unexpected{CantParseInlineKeyboardButton(b.error())};
        new_row.push_back(std::move(*b));
      }
    }
  }

  // The flags, in the reference's order; each must be a JSON boolean.
  bool flags[6] = {};
  std::string_view names[6] = {"hide_keyboard", "remove_keyboard",      "personal_keyboard",
                               "selective",     "force_reply_keyboard", "force_reply"};
  for (size_t i = 0; i < 6; ++i) {
    auto flag = o.OptionalBool(names[i]);
    if (!flag) return Unexpected{JsonFieldError(flag.error())};
    flags[i] = *flag;
  }
  auto [hide, remove, personal, selective, force_reply_keyboard, force_reply] = flags;
  auto placeholder = o.OptionalString("input_field_placeholder");
  if (!placeholder) return Unexpected{JsonFieldError(placeholder.error())};
  bool is_personal = personal || selective;

  if (!rows.empty()) {
    bool* options[] = {&m.resize_keyboard, &m.one_time_keyboard, &m.is_persistent};
    std::string_view option_names[] = {"resize_keyboard", "one_time_keyboard", "is_persistent"};
    for (size_t i = 0; i < 3; ++i) {
      auto flag = o.OptionalBool(option_names[i]);
      if (!flag) return Unexpected{JsonFieldError(flag.error())};
      *options[i] = *flag;
    }
    m.kind = ReplyMarkup::Kind::kReplyKeyboard;
    m.keyboard = std::move(rows);
    m.selective = is_personal;
    m.input_field_placeholder = std::move(*placeholder);
  } else if (!inline_rows.empty()) {
    m.kind = ReplyMarkup::Kind::kInlineKeyboard;
    m.inline_keyboard = std::move(inline_rows);
  } else if (hide || remove) {
    m.kind = ReplyMarkup::Kind::kRemoveKeyboard;
    m.selective = is_personal;
  } else if (force_reply || force_reply_keyboard) {
    m.kind = ReplyMarkup::Kind::kForceReply;
    m.selective = is_personal;
    m.input_field_placeholder = std::move(*placeholder);
  }
  return m;
}

// Named decision: the reference resolves the names concurrently and fails with whichever unknown
// one answers first; here the order is the buttons', so the answer is always the same.
std::vector<std::string> LoginUrlBotUsernames(const ReplyMarkup& markup) {
  std::vector<std::string> names;
  if (markup.kind != ReplyMarkup::Kind::kInlineKeyboard) return names;
  for (const auto& row : markup.inline_keyboard) {
    for (const InlineButton& b : row) {
      if (b.type != InlineButtonType::kLoginUrl || b.bot_username.empty()) continue;
      if (std::find(names.begin(), names.end(), b.bot_username) == names.end())
        names.push_back(b.bot_username);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Step 2: TDLib (ReplyMarkup.cpp).

Result<std::string, std::string> CheckButtonUrl(std::string_view url, bool http_only,
                                                bool https_only) {
  // TDLib's check_link_impl, in the text library: the reason alone, UrlInvalidText words it.
  return text::NormalizeLink(url, https_only  ? text::LinkScope::kHttpsOnly
                                  : http_only ? text::LinkScope::kHttpOnly
                                              : text::LinkScope::kAny);
}

namespace {

// The rules of a target, as ReplyMarkup.cpp's get_reply_markup takes them: only_inline_keyboard
// (channel posts are anonymous, and edits take nothing else), request_buttons_allowed (private
// chats), switch_inline_buttons_allowed (a message with a sender user: not a channel post),
// allow_personal (not a private chat; edits pass false).
struct Rules {
  bool only_inline;
  bool request_buttons;
  bool switch_inline;
  bool personal;
};

Rules RulesFor(const MarkupTarget& t) {
  bool is_private = t.chat == MarkupTarget::Chat::kPrivate;
  bool is_channel = t.chat == MarkupTarget::Chat::kChannel;
  return Rules{.only_inline = t.edit || is_channel,
               .request_buttons = !t.edit && is_private,
               .switch_inline = !is_channel,
               .personal = !t.edit && !is_private};
}

// The Web App and login URL rules: HTTP(S) only, and HTTPS only outside Telegram's test DC.
// Named decision: the emulator answers as the production DC does.
constexpr bool kHttpOnly = true;
constexpr bool kHttpsOnly = true;

Result<void, ApiError> CheckKeyboardButton(KeyboardButton& b, const Rules& rules) {
  if (!text::CleanInputString(b.text)) return Unexpected{KeyboardButtonTextNotUtf8()};
  if (b.text.empty()) return Unexpected{KeyboardButtonTextEmpty()};
  switch (b.type) {
    case KeyboardButtonType::kText:
      return {};
    case KeyboardButtonType::kRequestContact:
      if (!rules.request_buttons) return Unexpected{PhoneNumberRequestNotInPrivate()};
      return {};
    case KeyboardButtonType::kRequestLocation:
      if (!rules.request_buttons) return Unexpected{LocationRequestNotInPrivate()};
      return {};
    case KeyboardButtonType::kRequestPoll:
      // "Can't force quiz mode and regular poll simultaneously" cannot happen: the Bot API
      // forces at most one of them.
      if (!rules.request_buttons) return Unexpected{PollRequestNotInPrivate()};
      return {};
    case KeyboardButtonType::kWebApp: {
      if (!rules.request_buttons) return Unexpected{WebAppButtonNotInPrivate()};
      if (text::LinkUserId(b.url).has_value()) return Unexpected{LinkToUserInWebAppButton()};
      auto url = CheckButtonUrl(b.url, kHttpOnly, kHttpsOnly);
      if (!url)
        return Unexpected{KeyboardButtonWebAppUrlInvalid(UrlInvalidText(b.url, url.error()))};
      // TDLib keeps the URL as given here, not the normalised one.
      return {};
    }
    case KeyboardButtonType::kRequestUsers:
      if (!rules.request_buttons) return Unexpected{UsersRequestNotInPrivate()};
      return {};
    case KeyboardButtonType::kRequestChat:
      if (!rules.request_buttons) return Unexpected{ChatsRequestNotInPrivate()};
      return {};
    case KeyboardButtonType::kRequestManagedBot:
      if (!rules.request_buttons) return Unexpected{ManagedBotsRequestNotInPrivate()};
      return {};
  }
  return {};
}

Result<void, ApiError> CheckInlineButton(InlineButton& b, const Rules& rules) {
  if (!text::CleanInputString(b.text)) return Unexpected{InlineButtonTextNotUtf8()};
  if (b.text.empty()) return Unexpected{InlineButtonTextEmpty()};
  switch (b.type) {
    case InlineButtonType::kUrl: {
      if (int64_t user_id = text::LinkUserId(b.data).value_or(0); user_id != 0) {
        b.type = InlineButtonType::kUser;
        b.user_id = user_id;
        b.data.clear();
        return {};
      }
      auto url = CheckButtonUrl(b.data, false, false);
      if (!url) return Unexpected{InlineButtonUrlInvalid(UrlInvalidText(b.data, url.error()))};
      b.data = std::move(*url);
      if (!text::CleanInputString(b.data)) return Unexpected{InlineButtonUrlNotUtf8()};
      return {};
    }
    case InlineButtonType::kUser:  // made here, never parsed
    case InlineButtonType::kCallback:
    case InlineButtonType::kCallbackGame:
    case InlineButtonType::kPay:
      return {};
    case InlineButtonType::kSwitchInline:
    case InlineButtonType::kSwitchInlineCurrent: {
      bool current = b.type == InlineButtonType::kSwitchInlineCurrent;
      if (!current && !b.allow_user_chats && !b.allow_bot_chats && !b.allow_group_chats &&
          !b.allow_channel_chats)
        return Unexpected{NoChatTypeAllowed()};
      if (!rules.switch_inline) return Unexpected{SwitchInlineInChannel(current)};
      if (!text::CleanInputString(b.data)) return Unexpected{InlineButtonQueryNotUtf8()};
      return {};
    }
    case InlineButtonType::kLoginUrl: {
      if (text::LinkUserId(b.data).has_value()) return Unexpected{LinkToUserInLoginUrlButton()};
      auto url = CheckButtonUrl(b.data, kHttpOnly, kHttpsOnly);
      if (!url) return Unexpected{InlineButtonLoginUrlInvalid(UrlInvalidText(b.data, url.error()))};
      b.data = std::move(*url);
      if (!text::CleanInputString(b.data)) return Unexpected{InlineButtonLoginUrlNotUtf8()};
      if (!text::CleanInputString(b.forward_text))
        return Unexpected{InlineButtonForwardTextNotUtf8()};
      return {};
    }
    case InlineButtonType::kWebApp: {
      if (text::LinkUserId(b.data).has_value()) return Unexpected{LinkToUserInWebAppButton()};
      auto url = CheckButtonUrl(b.data, kHttpOnly, kHttpsOnly);
      if (!url)
        return Unexpected{InlineButtonWebAppUrlInvalid(UrlInvalidText(b.data, url.error()))};
      b.data = std::move(*url);
      if (!text::CleanInputString(b.data)) return Unexpected{InlineButtonWebAppUrlNotUtf8()};
      return {};
    }
    case InlineButtonType::kCopyText:
      if (!text::CleanInputString(b.data)) return Unexpected{InlineButtonCopiedTextNotUtf8()};
      return {};
  }
  return {};
}

// The loop both keyboards share: skip empty buttons, check and keep up to 12 per row and 300 in
// all (those beyond are not even checked), drop empty rows.
template <class Button, class Check>
Result<void, ApiError> CheckRows(std::vector<std::vector<Button>>& rows, Check check) {
  std::vector<std::vector<Button>> kept;
  size_t total = 0;
  for (auto& row : rows) {
    std::vector<Button> kept_row;
    for (Button& b : row) {
      if (b.text.empty() && b.icon_custom_emoji_id == 0) continue;
      if (auto ok = check(b); !ok) return ok;
      kept_row.push_back(std::move(b));
      ++total;
      if (kept_row.size() >= kMaxButtonsPerRow || total >= kMaxButtons) break;
    }
    if (!kept_row.empty()) kept.push_back(std::move(kept_row));
    if (total >= kMaxButtons) break;
  }
  rows = std::move(kept);
  return {};
}

}  // namespace

Result<ReplyMarkup, ApiError> CheckReplyMarkup(ReplyMarkup markup, const MarkupTarget& target) {
  using Kind = ReplyMarkup::Kind;
  if (markup.kind == Kind::kNone) return markup;
  Rules rules = RulesFor(target);
  if (rules.only_inline && markup.kind != Kind::kInlineKeyboard)
    return Unexpected{InlineKeyboardExpected()};
  switch (markup.kind) {
    case Kind::kNone:
      break;
    case Kind::kReplyKeyboard: {
      auto ok = CheckRows(markup.keyboard,
                          [&rules](KeyboardButton& b) { return CheckKeyboardButton(b, rules); });
      if (!ok) return Unexpected{ok.error()};
      if (markup.keyboard.empty()) return ReplyMarkup{};
      markup.selective = markup.selective && rules.personal;
      break;
    }
    case Kind::kInlineKeyboard: {
      auto ok = CheckRows(markup.inline_keyboard,
                          [&rules](InlineButton& b) { return CheckInlineButton(b, rules); });
      if (!ok) return Unexpected{ok.error()};
      if (markup.inline_keyboard.empty()) return ReplyMarkup{};
      break;
    }
    case Kind::kRemoveKeyboard:
    case Kind::kForceReply:
      markup.selective = markup.selective && rules.personal;
      break;
  }
  return markup;
}

// ---------------------------------------------------------------------------------------------
// Step 3: the server.

// Named decision: one pass over the buttons in order, the first offending one decides; the
// server's own order among its checks is unknown. BUTTON_DATA_INVALID and BUTTON_TYPE_INVALID
// (web_app outside a private chat) are observed answers; BUTTON_POS_INVALID for a pay or
// callback_game button that is not first in the first row is a guess at the docs' rule.
Result<void, ApiError> CheckReplyMarkupAtServer(const ReplyMarkup& markup,
                                                MarkupTarget::Chat chat) {
  if (markup.kind != ReplyMarkup::Kind::kInlineKeyboard) return {};
  for (size_t r = 0; r < markup.inline_keyboard.size(); ++r) {
    const auto& row = markup.inline_keyboard[r];
    for (size_t i = 0; i < row.size(); ++i) {
      const InlineButton& b = row[i];
      switch (b.type) {
        case InlineButtonType::kCallback:
          if (b.data.size() > kMaxCallbackDataBytes) return Unexpected{ButtonDataInvalid()};
          break;
        case InlineButtonType::kWebApp:
          if (chat != MarkupTarget::Chat::kPrivate) return Unexpected{ButtonTypeInvalid()};
          break;
        case InlineButtonType::kCallbackGame:
        case InlineButtonType::kPay:
          if (r != 0 || i != 0) return Unexpected{ButtonPosInvalid()};
          break;
        default:
          break;
      }
    }
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// The echo (Client.cpp JsonInlineKeyboardButton).

namespace {

void WriteStyle(JsonWriter& w, ButtonStyle style) {
  switch (style) {
    case ButtonStyle::kDefault:
      break;
    case ButtonStyle::kPrimary:
      w.Field("style", "primary");
      break;
    case ButtonStyle::kDanger:
      w.Field("style", "danger");
      break;
    case ButtonStyle::kSuccess:
      w.Field("style", "success");
      break;
  }
}

void WriteKeyboardButton(JsonWriter& w, const KeyboardButton& b) {
  w.BeginObject().Field("text", b.text);
  if (b.icon_custom_emoji_id != 0)
    w.Field("icon_custom_emoji_id", std::to_string(b.icon_custom_emoji_id));
  WriteStyle(w, b.style);
  switch (b.type) {
    case KeyboardButtonType::kText:
      break;
    case KeyboardButtonType::kRequestContact:
      w.Field("request_contact", true);
      break;
    case KeyboardButtonType::kRequestLocation:
      w.Field("request_location", true);
      break;
    case KeyboardButtonType::kRequestPoll:
      w.Key("request_poll").BeginObject();
      if (!b.poll_type.empty()) w.Field("type", b.poll_type);
      w.EndObject();
      break;
    case KeyboardButtonType::kWebApp:
      w.Key("web_app").BeginObject().Field("url", b.url).EndObject();
      break;
    case KeyboardButtonType::kRequestUsers:
      w.Key("request_users").BeginObject().Field("request_id", int64_t{b.request_id});
      w.Field("max_quantity", int64_t{b.max_quantity}).EndObject();
      break;
    case KeyboardButtonType::kRequestChat:
      w.Key("request_chat").BeginObject().Field("request_id", int64_t{b.request_id}).EndObject();
      break;
    case KeyboardButtonType::kRequestManagedBot:
      w.Key("request_managed_bot").BeginObject();
      w.Field("request_id", int64_t{b.request_id}).EndObject();
      break;
  }
  w.EndObject();
}

}  // namespace

std::string EncodeReplyKeyboard(const ReplyMarkup& markup) {
  JsonWriter w;
  w.BeginObject();
  switch (markup.kind) {
    case ReplyMarkup::Kind::kNone:
    case ReplyMarkup::Kind::kInlineKeyboard:
      return {};
    case ReplyMarkup::Kind::kReplyKeyboard:
      w.Key("keyboard").BeginArray();
      for (const auto& row : markup.keyboard) {
        w.BeginArray();
        for (const KeyboardButton& b : row) WriteKeyboardButton(w, b);
        w.EndArray();
      }
      w.EndArray();
      if (markup.is_persistent) w.Field("is_persistent", true);
      if (markup.resize_keyboard) w.Field("resize_keyboard", true);
      if (markup.one_time_keyboard) w.Field("one_time_keyboard", true);
      break;
    case ReplyMarkup::Kind::kRemoveKeyboard:
      w.Field("remove_keyboard", true);
      break;
    case ReplyMarkup::Kind::kForceReply:
      w.Field("force_reply", true);
      break;
  }
  if (markup.kind != ReplyMarkup::Kind::kRemoveKeyboard && !markup.input_field_placeholder.empty())
    w.Field("input_field_placeholder", markup.input_field_placeholder);
  if (markup.selective) w.Field("selective", true);
  w.EndObject();
  return w.Take();
}

std::string EchoInlineKeyboard(const ReplyMarkup& markup) {
  if (markup.kind != ReplyMarkup::Kind::kInlineKeyboard) return {};
  JsonWriter w;
  w.BeginObject().Key("inline_keyboard").BeginArray();
  for (const auto& row : markup.inline_keyboard) {
    w.BeginArray();
    for (const InlineButton& b : row) {
      w.BeginObject().Field("text", b.text);
      if (b.icon_custom_emoji_id != 0)
        w.Field("icon_custom_emoji_id", std::to_string(b.icon_custom_emoji_id));
      WriteStyle(w, b.style);
      switch (b.type) {
        case InlineButtonType::kUrl:
        case InlineButtonType::kLoginUrl:
          w.Field("url", b.data);
          break;
        case InlineButtonType::kUser:
          w.Field("url", "tg://user?id=" + std::to_string(b.user_id));
          break;
        case InlineButtonType::kCallback:
          w.Field("callback_data", utf8::IsValid(b.data) ? std::string_view(b.data) : "INVALID");
          break;
        case InlineButtonType::kCallbackGame:
          w.Key("callback_game").BeginObject().EndObject();
          break;
        case InlineButtonType::kPay:
          w.Field("pay", true);
          break;
        case InlineButtonType::kSwitchInline:
          if (b.allow_user_chats && b.allow_bot_chats && b.allow_group_chats &&
              b.allow_channel_chats) {
            w.Field("switch_inline_query", b.data);
          } else {
            w.Key("switch_inline_query_chosen_chat").BeginObject();
            w.Field("query", b.data);
            w.Field("allow_user_chats", b.allow_user_chats);
            w.Field("allow_bot_chats", b.allow_bot_chats);
            w.Field("allow_group_chats", b.allow_group_chats);
            w.Field("allow_channel_chats", b.allow_channel_chats);
            w.EndObject();
          }
          break;
        case InlineButtonType::kSwitchInlineCurrent:
          w.Field("switch_inline_query_current_chat", b.data);
          break;
        case InlineButtonType::kWebApp:
          w.Key("web_app").BeginObject().Field("url", b.data).EndObject();
          break;
        case InlineButtonType::kCopyText:
          w.Key("copy_text").BeginObject().Field("text", b.data).EndObject();
          break;
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::vector<std::string> CallbackData(const ReplyMarkup& markup) {
  std::vector<std::string> data;
  if (markup.kind != ReplyMarkup::Kind::kInlineKeyboard) return data;
  for (const auto& row : markup.inline_keyboard)
    for (const InlineButton& b : row)
      if (b.type == InlineButtonType::kCallback) data.push_back(b.data);
  return data;
}

}  // namespace tgi::botapi
