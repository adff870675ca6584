// Reply markup (spec bot-api-messages.md section 5): the `reply_markup` parameter of the send and
// edit methods, in the three steps the reference takes it through, each with its own errors:
//
// 1. ParseReplyMarkup: the Bot API layer (Client::get_reply_markup), before the chat is looked at
//    (sendMessage step 8): JSON, field types, button types, the precedence of the kinds.
// 2. CheckReplyMarkup: TDLib (ReplyMarkup.cpp get_reply_markup), inside the send or edit, once the
//    chat is known (sendMessage step 14): what the chat allows, button texts and URLs, and the
//    silent drops (empty buttons, more than 12 per row or 300 in all, empty rows and keyboards).
// 3. CheckReplyMarkupAtServer: what Telegram's server refuses (step 15), after every TDLib check
//    of the call: BUTTON_DATA_INVALID, BUTTON_TYPE_INVALID, BUTTON_POS_INVALID.
//
// Between 1 and 2 the method resolves login_url bot usernames (LoginUrlBotUsernames, step 9).
// A Message echoes only an inline keyboard (EchoInlineKeyboard, spec 1.6).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "botapi/errors.h"
#include "common/result.h"

namespace tgi::botapi {

// A button's style; "" and "default" are kDefault.
enum class ButtonStyle : uint8_t { kDefault, kPrimary, kDanger, kSuccess };

enum class InlineButtonType : uint8_t {
  kUrl,                  // url: `data`
  kUser,                 // a url of the form tg://user?id=N: `user_id` (made by CheckReplyMarkup)
  kCallback,             // callback_data: `data`, bytes as sent (not checked for UTF-8)
  kCallbackGame,         // callback_game
  kPay,                  // pay
  kSwitchInline,         // switch_inline_query(_chosen_chat): `data` is the query, `allow_*`
  kSwitchInlineCurrent,  // switch_inline_query_current_chat: `data`
  kLoginUrl,             // login_url: `data` is the url, `bot_username`, ...
  kWebApp,               // web_app: `data` is the url
  kCopyText,             // copy_text: `data` is the text to copy
};

struct InlineButton {
  std::string text;
  int64_t icon_custom_emoji_id = 0;  // 0: none
  ButtonStyle style = ButtonStyle::kDefault;
  InlineButtonType type = InlineButtonType::kCallback;
  std::string data;
  // kSwitchInline: the chat types offered; all four true is plain switch_inline_query.
  bool allow_user_chats = true;
  bool allow_bot_chats = true;
  bool allow_group_chats = true;
  bool allow_channel_chats = true;
  // kLoginUrl. bot_username without its '@'; "" means the bot itself.
  std::string bot_username;
  bool request_write_access = false;
  std::string forward_text;
  int64_t user_id = 0;  // kUser
  bool operator==(const InlineButton&) const = default;
};

enum class KeyboardButtonType : uint8_t {
  kText,
  kRequestContact,  // request_contact, or the undocumented request_phone_number
  kRequestLocation,
  kRequestPoll,        // poll_type: "quiz", "regular" or "" (any)
  kWebApp,             // url
  kRequestUsers,       // request_users or legacy request_user: request_id, max_quantity
  kRequestChat,        // request_id
  kRequestManagedBot,  // request_id
};

// A reply-keyboard button. The request_users/request_chat/request_managed_bot options beyond
// request_id and max_quantity are checked (their types, as the reference does) but not kept.
struct KeyboardButton {
  std::string text;
  int64_t icon_custom_emoji_id = 0;
  ButtonStyle style = ButtonStyle::kDefault;
  KeyboardButtonType type = KeyboardButtonType::kText;
  std::string poll_type;
  std::string url;
  int32_t request_id = 0;
  int32_t max_quantity = 1;
  bool operator==(const KeyboardButton&) const = default;
};

struct ReplyMarkup {
  enum class Kind : uint8_t {
    kNone,
    kInlineKeyboard,
    kReplyKeyboard,
    kRemoveKeyboard,
    kForceReply
  };
  Kind kind = Kind::kNone;
  // Only the rows of `kind`. As parsed they may hold empty rows (`{"keyboard":[[]]}` is a reply
  // keyboard until CheckReplyMarkup drops it); after CheckReplyMarkup they never do.
  std::vector<std::vector<InlineButton>> inline_keyboard;
  std::vector<std::vector<KeyboardButton>> keyboard;
  // kReplyKeyboard.
  bool resize_keyboard = false;
  bool one_time_keyboard = false;
  bool is_persistent = false;
  // kReplyKeyboard, kRemoveKeyboard, kForceReply: `selective` or legacy `personal_keyboard`.
  bool selective = false;
  // kReplyKeyboard and kForceReply. Not checked for length (the reference does not).
  std::string input_field_placeholder;
  bool operator==(const ReplyMarkup&) const = default;
};

// Spec 5.1, 5.2, 5.4, 5.5: the parameter as given (empty: no markup). The first error in the
// reference's order, with its text: the JSON, the "keyboard" rows and buttons, the
// "inline_keyboard" rows and buttons (both are read whichever wins), then the flags and the
// placeholder, then, only for a non-empty "keyboard", its options. The result is one kind, by
// precedence: a "keyboard" with at least one row (even an empty one), else an "inline_keyboard"
// with at least one row, else remove_keyboard/hide_keyboard, else force_reply/force_reply_keyboard,
// else none, without error (`{}`, `{"inline_keyboard":[]}`, `{"remove_keyboard":false}`).
Result<ReplyMarkup, ApiError> ParseReplyMarkup(std::string_view param);

// The login_url bot usernames to resolve (sendMessage step 9), distinct, in button order, for an
// inline keyboard as parsed (dropped buttons included); none for other kinds. Each must be a bot
// the server knows, else BotNotFound(name) (named decision: the first unknown one in this order).
std::vector<std::string> LoginUrlBotUsernames(const ReplyMarkup& markup);

// Where the markup goes, for CheckReplyMarkup.
struct MarkupTarget {
  enum class Chat : uint8_t { kPrivate, kGroup, kChannel };  // kGroup: basic group or supergroup
  Chat chat = Chat::kPrivate;
  bool edit = false;  // an editMessage* call: only an inline keyboard is accepted
};

// Spec 5.3: TDLib's checks, once the chat is known. Returns the markup TDLib sends on, or the
// first error in its order:
// - none stays none; in a channel or an edit anything but an inline keyboard is "inline keyboard
//   expected" (before its rows are looked at);
// - row by row, button by button: a button whose text is empty and has no icon is skipped; the
//   others are checked (below) and kept, up to 12 in a row and 300 in all (the buttons beyond are
//   neither kept nor checked); rows left empty are dropped, and an empty keyboard is none;
// - per button: its text cleaned (CleanInputString: not UTF-8 and empty after cleaning are
//   errors), then its type's rules: chat-dependent ones (request_* and web_app keyboard buttons
//   only in private chats, switch_inline_query* not in channels), and the URLs of url, login_url
//   and web_app buttons (CheckButtonUrl; a url button of the form tg://user?id=N becomes kUser);
//   the other strings cleaned (not UTF-8 is an error);
// - `selective` is dropped in private chats.
Result<ReplyMarkup, ApiError> CheckReplyMarkup(ReplyMarkup markup, const MarkupTarget& target);

// Spec 2.4, 5.2, 5.3: what the server refuses in a checked markup, for the server's step of the
// call (after all of TDLib's checks, including the text's). Button by button in order, the first
// offending one decides (named decision: the server's own order is unknown):
// - callback_data over 64 bytes: BUTTON_DATA_INVALID;
// - a web_app button outside a private chat: BUTTON_TYPE_INVALID;
// - callback_game or pay anywhere but first in the first row: BUTTON_POS_INVALID (named decision:
//   the docs state the rule, the server's error for it is a guess).
Result<void, ApiError> CheckReplyMarkupAtServer(const ReplyMarkup& markup, MarkupTarget::Chat chat);

// Spec 1.6: {"inline_keyboard":[[{...},...],...]} as a Message carries it, byte for byte, for a
// checked inline keyboard; "" for any other kind. Per button: text, icon_custom_emoji_id (as a
// string), style (unless default), then one key for the type: url (also for login_url and tg://user
// buttons), callback_data ("INVALID" if not UTF-8), callback_game {}, switch_inline_query (also
// for a chosen chat allowing all four kinds), switch_inline_query_chosen_chat {query, the four
// allow_* flags}, switch_inline_query_current_chat, pay true, web_app {url}, copy_text {text}.
std::string EchoInlineKeyboard(const ReplyMarkup& markup);

// The reply keyboard, keyboard removal or force reply of a checked markup, as the message keeps it
// for the control plane's listings (domain::Message::reply_keyboard; a Message never shows it);
// "" for none or an inline keyboard. Named decision: Telegram never shows this markup back, so
// the shape is this server's: the JSON is normalised, in the Bot API's names and the order
// of its docs: {"keyboard":[[button,...],...]} then is_persistent, resize_keyboard,
// one_time_keyboard, input_field_placeholder and selective; {"remove_keyboard":true} then
// selective; {"force_reply":true} then input_field_placeholder and selective. Flags are written
// only when true and the placeholder only when not empty. A button: text, icon_custom_emoji_id
// (as a string), style (unless default), then its request, if any: request_contact true,
// request_location true, request_poll {type?}, web_app {url}, request_users {request_id,
// max_quantity}, request_chat {request_id}, request_managed_bot {request_id}.
std::string EncodeReplyKeyboard(const ReplyMarkup& markup);

// The callback_data of an inline keyboard's callback buttons, in order (row by row).
std::vector<std::string> CallbackData(const ReplyMarkup& markup);

// LinkManager::check_link_impl for a button's URL (text::NormalizeLink): `http_only` refuses
// tg://, ton:// and tonsite:// links, `https_only` all but https. Returns the normalised URL, or
// the reason it is invalid ("URL host is empty", "Unsupported URL protocol", "Wrong HTTP URL",
// "Only HTTPS links are allowed", ...), which the caller words as check_link does
// (UrlInvalidText).
Result<std::string, std::string> CheckButtonUrl(std::string_view url, bool http_only,
                                                bool https_only);

}  // namespace tgi::botapi
