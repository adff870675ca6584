// The Bot API's other JSON-valued parameters, each read as its method reads it: sendMessage's
// link_preview_options and reply_parameters, deleteMessages' message_ids, restrictChatMember's
// permissions, setMyCommands' commands and scope, setChatMenuButton's menu_button and
// setMyDefaultAdministratorRights' rights (botapi/message_args.h, moderation_args.h,
// profile_args.h). reply_markup and entities have targets of their own.
//
// Input: a selector byte, then the parameter's value. Checked: a refusal says why; message ids
// are 1 to 100 positive ids; commands and menu buttons that pass TDLib's checks are written as
// JSON that reads back as the same value.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "botapi/args.h"
#include "botapi/message_args.h"
#include "botapi/moderation_args.h"
#include "botapi/profile_args.h"
#include "common/utf8.h"
#include "fuzz_check.h"

namespace {

namespace botapi = tgi::botapi;

template <typename R>
void CheckRefusal(const R& r) {
  if (!r) FUZZ_CHECK(!r.error().description.empty(), "a refusal says why");
}

void MessageIds(std::string_view s) {
  auto r = botapi::ParseMessageIds(s);
  CheckRefusal(r);
  if (!r) return;
  FUZZ_CHECK(!r->empty() && r->size() <= 100, "1 to 100 message ids");
  for (int32_t id : *r) FUZZ_CHECK(id > 0, "a message id is positive");
}

void BotCommands(std::string_view s) {
  auto r = botapi::ParseBotCommands(s);
  CheckRefusal(r);
  if (!r) return;
  auto cleaned = botapi::CleanBotCommands(*r);
  CheckRefusal(cleaned);
  if (!cleaned) return;
  for (const auto& c : *r) {
    FUZZ_CHECK(tgi::utf8::IsValid(c.command) && tgi::utf8::IsValid(c.description),
               "cleaned commands are UTF-8");
    FUZZ_CHECK(!c.command.empty() && tgi::utf8::CodePointCount(c.command) <= 32,
               "a command has 1 to 32 code points");
  }
  auto again = botapi::ParseBotCommands(botapi::EncodeBotCommands(*r));
  FUZZ_CHECK(again && *again == *r, "getMyCommands' answer reads back as the commands");
}

void MenuButton(std::string_view s) {
  auto r = botapi::ParseMenuButton(s);
  CheckRefusal(r);
  if (!r) return;
  auto checked = botapi::CheckMenuButton(*r);
  CheckRefusal(checked);
  if (!checked) return;
  auto again = botapi::ParseMenuButton(botapi::EncodeMenuButton(*r));
  FUZZ_CHECK(again && *again == *r, "getChatMenuButton's answer reads back as the button");
}

void Permissions(std::string_view s, bool independent) {
  tgi::http::ParamList params;
  params.Add("permissions", std::string(s));
  if (independent) params.Add("use_independent_chat_permissions", "true");
  CheckRefusal(
      botapi::ParseChatPermissions(botapi::Args(params), botapi::LegacyPermissions::kRefused));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgi::fuzz::Input in(data, size);
  const uint8_t selector = in.Byte();
  const std::string_view value = in.Rest();
  switch (selector % 9) {
    case 0:
      CheckRefusal(botapi::ParseLinkPreviewOptions(value, ""));
      break;
    case 1: {
      auto r = botapi::ParseReplyParameters(value, "", "");
      CheckRefusal(r);
      if (r) FUZZ_CHECK(r->message_id >= 0, "a replied-to message id is not negative");
      break;
    }
    case 2:
      MessageIds(value);
      break;
    case 3:
      Permissions(value, false);
      break;
    case 4:
      Permissions(value, true);
      break;
    case 5:
      BotCommands(value);
      break;
    case 6: {
      auto r = botapi::ParseBotCommandScope(value);
      CheckRefusal(r);
      if (r && r->type == tgi::domain::World::CommandScopeType::kChatMember)
        FUZZ_CHECK(r->user.value > 0, "a chat_member scope's user id is positive");
      break;
    }
    case 7:
      MenuButton(value);
      break;
    default:
      CheckRefusal(botapi::ParseAdministratorRights(value));
      break;
  }
  return 0;
}
