// The reply_markup parameter (src/botapi/reply_markup.h) through all its steps: the Bot API
// layer's parse, TDLib's checks for each kind of chat and for an edit, the server's checks, and
// the inline keyboard a Message echoes.
//
// Input: the parameter as sent. Checked: what a parse gives is one kind with rows of that kind
// only; a checked markup has no empty rows, at most 12 buttons a row and 300 in all; and a checked
// inline keyboard's echo is JSON that parses again as the same buttons' keyboard.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "botapi/reply_markup.h"
#include "fuzz_check.h"

namespace {

using tgi::botapi::MarkupTarget;
using tgi::botapi::ReplyMarkup;

template <typename Rows>
void CheckRows(const Rows& rows) {
  size_t total = 0;
  for (const auto& row : rows) {
    FUZZ_CHECK(!row.empty(), "a checked markup has no empty row");
    FUZZ_CHECK(row.size() <= 12, "at most 12 buttons a row");
    total += row.size();
  }
  FUZZ_CHECK(total <= 300, "at most 300 buttons");
}

size_t Buttons(const ReplyMarkup& m) {
  size_t n = 0;
  for (const auto& row : m.inline_keyboard) n += row.size();
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view param(reinterpret_cast<const char*>(data), size);
  auto parsed = tgi::botapi::ParseReplyMarkup(param);
  if (!parsed) return 0;
  const ReplyMarkup& markup = *parsed;
  using Kind = ReplyMarkup::Kind;
  FUZZ_CHECK(markup.kind == Kind::kReplyKeyboard || markup.keyboard.empty(),
             "keyboard rows only in a reply keyboard");
  FUZZ_CHECK(markup.kind == Kind::kInlineKeyboard || markup.inline_keyboard.empty(),
             "inline rows only in an inline keyboard");
  (void)tgi::botapi::LoginUrlBotUsernames(markup);

  for (auto chat :
       {MarkupTarget::Chat::kPrivate, MarkupTarget::Chat::kGroup, MarkupTarget::Chat::kChannel}) {
    for (bool edit : {false, true}) {
      auto checked = tgi::botapi::CheckReplyMarkup(markup, {.chat = chat, .edit = edit});
      if (!checked) continue;
      CheckRows(checked->keyboard);
      CheckRows(checked->inline_keyboard);
      FUZZ_CHECK(!edit || checked->kind == Kind::kNone || checked->kind == Kind::kInlineKeyboard,
                 "an edit takes only an inline keyboard");
      (void)tgi::botapi::CheckReplyMarkupAtServer(*checked, chat);
      (void)tgi::botapi::CallbackData(*checked);
      const std::string echo = tgi::botapi::EchoInlineKeyboard(*checked);
      if (checked->kind != Kind::kInlineKeyboard) {
        FUZZ_CHECK(echo.empty(), "only an inline keyboard is echoed");
        continue;
      }
      boost::system::error_code ec;
      boost::json::value json = boost::json::parse(echo, ec);
      FUZZ_CHECK(!ec && json.is_object(), "the echo is a JSON object");
      auto again = tgi::botapi::ParseReplyMarkup(echo);
      FUZZ_CHECK(again.ok(), "the echo parses as reply_markup");
      FUZZ_CHECK(again->kind == Kind::kInlineKeyboard, "the echo is an inline keyboard");
      FUZZ_CHECK(Buttons(*again) == Buttons(*checked), "the echo has every button");
    }
  }
  return 0;
}
