#include "text/message_text.h"

#include "common/utf8.h"
#include "text/fix.h"
#include "text/utf16.h"

namespace tgi::text {

Result<FormattedText, std::string> PrepareMessageText(std::string_view text,
                                                      std::optional<ParseMode> parse_mode,
                                                      std::vector<Entity> entities,
                                                      const MessageTextOptions& options) {
  if (text.size() > kMaxTextParameterBytes) return Unexpected(std::string("Text is too long"));
  FormattedText formatted;
  if (parse_mode && !text.empty()) {
    if (!utf8::IsValid(text)) return Unexpected(std::string("Text must be encoded in UTF-8"));
    auto parsed = ParseMarkup(text, *parse_mode);
    if (!parsed) return Unexpected("Can't parse entities: " + parsed.error());
    formatted = std::move(*parsed);
  } else {
    formatted.text = std::string(text);
    formatted.entities = std::move(entities);
  }
  auto prepared = PrepareInputEntities(std::move(formatted.entities));
  if (!prepared) return Unexpected(std::move(prepared.error()));
  formatted.entities = std::move(*prepared);

  auto fixed =
      FixFormattedText(std::move(formatted), {.allow_empty = options.allow_empty,
                                              .find_entities = true,
                                              .skip_bot_commands = options.skip_bot_commands});
  if (!fixed) return fixed;
  if (CodePointLength(fixed->text) > options.max_length) {
    return Unexpected(std::string("Message is too long"));
  }
  CapFormattingEntities(fixed->entities);
  return fixed;
}

}  // namespace tgi::text
