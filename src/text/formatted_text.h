// Formatted text as the Bot API sees it: a UTF-8 string and its entities, offsets and lengths in
// UTF-16 code units. The types shared by the parsers (HTML, MarkdownV2, Markdown), the entity
// finder and the normalisation of src/text/, and by the messages of the world.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tgi::text {

// MessageEntity types (spec bot-api-messages.md 1.4). The order of the enum is the order used by
// the stores; append only.
enum class EntityType : uint8_t {
  kMention,
  kHashtag,
  kCashtag,
  kBotCommand,
  kUrl,
  kEmail,
  kPhoneNumber,
  kBold,
  kItalic,
  kUnderline,
  kStrikethrough,
  kSpoiler,
  kCode,
  kPre,
  kTextLink,
  kTextMention,
  kCustomEmoji,
  kBlockquote,
  kExpandableBlockquote,
  kDateTime,
  kBankCardNumber,  // found, never written out (spec 1.4)
  kCount,
};

// The Bot API's name of `type` ("bold", "text_link", ...); "" for kCount.
const char* EntityTypeName(EntityType type);

struct Entity {
  EntityType type = EntityType::kBold;
  int32_t offset = 0;  // UTF-16 code units
  int32_t length = 0;  // UTF-16 code units
  // The type's extra value: the URL of a text_link, the language of a pre ("" for none), the
  // custom_emoji_id of a custom_emoji (decimal), the date_time_format of a date_time.
  std::string argument;
  int64_t user_id = 0;    // text_mention
  int64_t unix_time = 0;  // date_time
  bool operator==(const Entity&) const = default;
};

struct FormattedText {
  std::string text;  // UTF-8
  std::vector<Entity> entities;
  bool operator==(const FormattedText&) const = default;
};

}  // namespace tgi::text
