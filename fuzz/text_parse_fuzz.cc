// The formatting of src/text: the HTML, MarkdownV2 and Markdown parsers (ParseMarkup), the
// normalisation that follows (FixFormattedText), sendMessage's whole text pipeline
// (PrepareMessageText) and the entities found in plain text (FindEntities).
//
// Input: a selector byte (bits 0-1: the mode; bit 7: escape the text first), then the text.
// Checked: every entity made lies inside its text, on code point boundaries, with a positive
// length; normalised text is UTF-8 and within the length limit; and text escaped for a mode reads
// back unchanged, with no entities.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "fuzz_check.h"
#include "text/find_entities.h"
#include "text/fix.h"
#include "text/message_text.h"
#include "text/parse.h"
#include "text/utf16.h"

namespace {

using tgi::text::Entity;
using tgi::text::FormattedText;
using tgi::text::ParseMode;

// Which UTF-16 offsets of `text` fall on a code point boundary (0 and the end included): one
// pass, so that checking every entity costs O(text + entities), not O(text * entities) (with
// many entities the check had been most of each run's time).
std::vector<bool> CodePointBoundaries(std::string_view text) {
  std::vector<bool> at(tgi::text::Utf16Length(text) + 1, false);
  size_t unit = 0;
  at[0] = true;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t bytes = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    unit += bytes == 4 ? 2 : 1;
    i += bytes;
    if (unit < at.size()) at[unit] = true;
  }
  return at;
}

// `stage` names what made the entities, for the report of a failed check.
void CheckEntities(const char* stage, std::string_view text, const std::vector<Entity>& entities) {
  const size_t units = tgi::text::Utf16Length(text);
  std::vector<bool> boundary;
  for (const Entity& e : entities) {
    if (e.offset < 0 || e.length <= 0 ||
        static_cast<size_t>(e.offset) + static_cast<size_t>(e.length) > units)
      std::fprintf(stderr, "%s: entity %s at %d+%d, text of %zu UTF-16 units\n", stage,
                   tgi::text::EntityTypeName(e.type), e.offset, e.length, units);
    FUZZ_CHECK(e.offset >= 0 && e.length > 0, "an entity has an offset and a length");
    const auto begin = static_cast<size_t>(e.offset);
    const auto end = begin + static_cast<size_t>(e.length);
    FUZZ_CHECK(end <= units, "an entity ends inside its text");
    if (boundary.empty()) boundary = CodePointBoundaries(text);
    FUZZ_CHECK(boundary[begin], "an entity starts on a code point");
    FUZZ_CHECK(boundary[end], "an entity ends on a code point");
  }
}

void CheckNormalised(const char* stage, const FormattedText& t, size_t max_code_points) {
  FUZZ_CHECK(tgi::utf8::IsValid(t.text), "normalised text is UTF-8");
  FUZZ_CHECK(tgi::utf8::CodePointCount(t.text) <= max_code_points, "normalised text is cut");
  CheckEntities(stage, t.text, t.entities);
}

// Plain text written so that `mode` reads it back as it is.
std::string Escape(std::string_view text, ParseMode mode) {
  std::string out;
  for (char c : text) {
    switch (mode) {
      case ParseMode::kHtml:
        if (c == '<')
          out += "&lt;";
        else if (c == '>')
          out += "&gt;";
        else if (c == '&')
          out += "&amp;";
        else
          out += c;
        break;
      case ParseMode::kMarkdownV2:
        if (std::string_view("_*[]()~`>#+-=|{}.!\\").find(c) != std::string_view::npos) out += '\\';
        out += c;
        break;
      case ParseMode::kMarkdown:
        // Legacy Markdown has no escape for its own characters; keep to text without them.
        if (std::string_view("_*`[").find(c) == std::string_view::npos) out += c;
        break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgi::fuzz::Input in(data, size);
  const uint8_t selector = in.Byte();
  const std::string_view text = in.Rest();
  const ParseMode modes[] = {ParseMode::kHtml, ParseMode::kMarkdownV2, ParseMode::kMarkdown,
                             ParseMode::kMarkdownV2};
  const ParseMode mode = modes[selector & 3];
  const bool valid = tgi::utf8::IsValid(text);

  if (selector & 0x80) {
    if (!valid) return 0;
    std::string plain = mode == ParseMode::kMarkdown ? Escape(text, mode) : std::string(text);
    auto parsed = tgi::text::ParseMarkup(Escape(plain, mode), mode);
    if (tgi::utf8::CodePointCount(plain) <= 65536) {
      FUZZ_CHECK(parsed.ok(), "escaped text parses");
      FUZZ_CHECK(parsed->text == plain, "escaped text reads back unchanged");
      FUZZ_CHECK(parsed->entities.empty(), "escaped text has no entities");
    }
    return 0;
  }

  // Text that is not UTF-8 never reaches the parsers (PrepareMessageText and the Bot API layer
  // refuse it first); on it they must only not fail. Their offsets are then TDLib's, which counts
  // a byte 0xF8-0xFF as 2 UTF-16 units where Utf16Length, as td's utf8_utf16_length, counts 1.
  auto parsed = tgi::text::ParseMarkup(text, mode);
  if (parsed && valid) {
    CheckEntities("ParseMarkup", parsed->text, parsed->entities);
    auto fixed = tgi::text::FixFormattedText(*parsed);
    if (fixed) CheckNormalised("FixFormattedText", *fixed, 35000);
  }
  auto message = tgi::text::PrepareMessageText(text, mode, {});
  FUZZ_CHECK(!message || valid, "text that is not UTF-8 is refused");
  if (message) CheckNormalised("PrepareMessageText", *message, tgi::text::kMaxMessageLength);
  if (valid) {
    auto plain = tgi::text::PrepareMessageText(text, std::nullopt, {});
    if (plain) CheckNormalised("PrepareMessageText(plain)", *plain, tgi::text::kMaxMessageLength);
    CheckEntities("FindEntities", text, tgi::text::FindEntities(text));
  }
  return 0;
}
