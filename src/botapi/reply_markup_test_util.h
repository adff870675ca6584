// Helpers of the reply_markup tests (reply_markup_parse_test.cc, reply_markup_check_test.cc,
// reply_markup_test.cc): a markup parsed, checked or echoed from its JSON in one call, the chats
// checked for, and rows of buttons.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "botapi/reply_markup.h"

namespace tgi::botapi {

// The error description of parsing `json`, or "" if it parses.
inline std::string ParseError(std::string_view json) {
  auto r = ParseReplyMarkup(json);
  if (r) return "";
  EXPECT_EQ(r.error().code, 400) << json;
  return r.error().description;
}

inline ReplyMarkup Parsed(std::string_view json) {
  auto r = ParseReplyMarkup(json);
  EXPECT_TRUE(r.ok()) << json << ": " << (r ? "" : r.error().description);
  return r ? *r : ReplyMarkup{};
}

// The description of checking the parsed `json` for `target`, or "" if it passes.
inline std::string CheckError(std::string_view json, MarkupTarget target) {
  auto r = CheckReplyMarkup(Parsed(json), target);
  return r ? "" : r.error().description;
}

inline ReplyMarkup Checked(std::string_view json, MarkupTarget target = {}) {
  auto r = CheckReplyMarkup(Parsed(json), target);
  EXPECT_TRUE(r.ok()) << json << ": " << (r ? "" : r.error().description);
  return r ? *r : ReplyMarkup{};
}

inline std::string Echo(std::string_view json, MarkupTarget target = {}) {
  return EchoInlineKeyboard(Checked(json, target));
}

inline constexpr MarkupTarget kPrivate{.chat = MarkupTarget::Chat::kPrivate};
inline constexpr MarkupTarget kGroup{.chat = MarkupTarget::Chat::kGroup};
inline constexpr MarkupTarget kChannel{.chat = MarkupTarget::Chat::kChannel};
inline constexpr MarkupTarget kEditInGroup{.chat = MarkupTarget::Chat::kGroup, .edit = true};
inline constexpr MarkupTarget kEditInChannel{.chat = MarkupTarget::Chat::kChannel, .edit = true};
inline constexpr MarkupTarget kEditInPrivate{.chat = MarkupTarget::Chat::kPrivate, .edit = true};

// A row of `n` inline buttons with callback data, the one at `bad_at` replaced by `bad_from`.
inline std::string Row(int n, std::string_view bad_from = "", int bad_at = -1) {
  std::string row = "[";
  for (int i = 0; i < n; ++i) {
    if (i) row += ",";
    row += i == bad_at ? std::string(bad_from)
                       : R"({"text":"b)" + std::to_string(i) + R"(","callback_data":"d"})";
  }
  return row + "]";
}

}  // namespace tgi::botapi
