#include "text/formatted_text.h"

#include <iterator>

namespace tgi::text {

const char* EntityTypeName(EntityType type) {
  static constexpr const char* kNames[] = {"mention",
                                           "hashtag",
                                           "cashtag",
                                           "bot_command",
                                           "url",
                                           "email",
                                           "phone_number",
                                           "bold",
                                           "italic",
                                           "underline",
                                           "strikethrough",
                                           "spoiler",
                                           "code",
                                           "pre",
                                           "text_link",
                                           "text_mention",
                                           "custom_emoji",
                                           "blockquote",
                                           "expandable_blockquote",
                                           "date_time",
                                           "bank_card_number"};
  static_assert(std::size(kNames) == static_cast<size_t>(EntityType::kCount));
  const auto index = static_cast<size_t>(type);
  return index < std::size(kNames) ? kNames[index] : "";
}

}  // namespace tgi::text
