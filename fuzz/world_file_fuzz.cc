// The world file (docs/control-api.md, src/control/world_json.h): parsed, then loaded into an
// empty World as POST /control/v1/world does. Checked: a file the World takes leaves every bot,
// user and chat it names findable, and every member of a chat in it.
//
// Input: the file's JSON.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "control/world_json.h"
#include "domain/store.h"
#include "domain/world.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto file = tgi::control::ParseWorldFile(json);
  if (!file) {
    FUZZ_CHECK(!file.error().message.empty(), "a refusal says why");
    return 0;
  }
  int counter = 0;
  tgi::domain::World world(tgi::domain::WorldState{},
                           [&counter] { return "fuzzhash" + std::to_string(counter++); });
  tgi::domain::Mutation m;
  constexpr tgi::UnixTime kNow = 1'700'000'000;
  tgi::Status st = world.ApplyWorld(*file, kNow, m);
  if (!st) {
    FUZZ_CHECK(!st.error().message.empty(), "a refusal says why");
    return 0;
  }
  for (const auto& entry : file->bots)
    FUZZ_CHECK(world.FindBot(entry.bot.id) != nullptr, "a loaded bot is found");
  for (const auto& user : file->users)
    FUZZ_CHECK(world.FindUser(user.id) != nullptr, "a loaded user is found");
  for (const auto& entry : file->chats) {
    FUZZ_CHECK(world.FindChat(entry.chat.id) != nullptr, "a loaded chat is found");
  }
  return 0;
}
