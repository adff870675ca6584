// The control plane's request bodies (src/control/bodies.h), each read as its endpoint reads it.
// Checked: a refusal names what is wrong; what is taken keeps the ids the URL gave and the
// documented ranges.
//
// Input: a selector byte (which body), then the body.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/utf8.h"
#include "control/bodies.h"
#include "fuzz_check.h"

namespace {

namespace control = tgi::control;

template <typename R>
void CheckRefusal(const R& r) {
  if (!r) FUZZ_CHECK(!r.error().message.empty(), "a refusal says why");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgi::fuzz::Input in(data, size);
  const uint8_t selector = in.Byte();
  const std::string_view body = in.Rest();
  constexpr int64_t kId = 100001;
  constexpr tgi::ChatId kChat{-1001000000001};
  switch (selector % 14) {
    case 0: {
      auto r = control::ParseBotBody(body, kId);
      CheckRefusal(r);
      if (r) FUZZ_CHECK(r->bot.id.value == kId && r->user.id.value == kId, "the URL's id");
      break;
    }
    case 1: {
      auto r = control::ParseUserBody(body, kId);
      CheckRefusal(r);
      if (r) FUZZ_CHECK(r->id.value == kId, "the URL's id");
      break;
    }
    case 2: {
      auto r = control::ParseChatBody(body, -kId);
      CheckRefusal(r);
      if (r) FUZZ_CHECK(r->id.value == -kId, "the URL's id");
      break;
    }
    case 3: {
      auto r = control::ParseMemberBody(body, kChat, kId);
      CheckRefusal(r);
      if (r) FUZZ_CHECK(r->member.chat == kChat && r->member.user.value == kId, "the URL's ids");
      break;
    }
    case 4: {
      auto r = control::ParseJoinBody(body);
      CheckRefusal(r);
      break;
    }
    case 5:
      CheckRefusal(control::ParseChatUserBody(body));
      break;
    case 6:
      CheckRefusal(control::ParseRemoveBody(body));
      break;
    case 7:
      CheckRefusal(control::ParseUpgradeBody(body));
      break;
    case 8: {
      auto r = control::ParseMessageBody(body);
      CheckRefusal(r);
      if (r) {
        FUZZ_CHECK(tgi::utf8::IsValid(r->text), "a message text is UTF-8");
        size_t n = tgi::utf8::CodePointCount(r->text);
        FUZZ_CHECK(n >= 1 && n <= 4096, "a message text is 1 to 4096 code points");
      }
      break;
    }
    case 9: {
      auto r = control::ParseEditBody(body);
      CheckRefusal(r);
      if (r) {
        FUZZ_CHECK(tgi::utf8::IsValid(r->text), "an edited text is UTF-8");
        size_t n = tgi::utf8::CodePointCount(r->text);
        FUZZ_CHECK(n >= 1 && n <= 4096, "an edited text is 1 to 4096 code points");
      }
      break;
    }
    case 10:
      CheckRefusal(control::ParsePressBody(body));
      break;
    case 11:
      CheckRefusal(control::ParseBotIdBody(body));
      break;
    case 12:
      CheckRefusal(control::ParseClockBody(body));
      break;
    default: {
      auto r = control::ParseFaultBody(body);
      CheckRefusal(r);
      if (r) {
        FUZZ_CHECK(r->count >= 1 && r->count <= control::kMaxFaultCount, "count in range");
        FUZZ_CHECK(r->error.description.size() <= control::kMaxFaultDescription + 64,
                   "a short description");
      }
      break;
    }
  }
  return 0;
}
