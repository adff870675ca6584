// The inputs of the differential test (driver.cc): the spec's examples and error cases, then a
// seeded stream of markup built from a small grammar (well-formed nesting), of random token soup
// and of texts with random entities. The same seed gives the same inputs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/formatted_text.h"
#include "text/parse.h"

namespace text_diff {

struct Input {
  enum Kind { kParse, kFind, kFix } kind;
  tgi::text::ParseMode mode = tgi::text::ParseMode::kHtml;
  std::string text;
  std::vector<tgi::text::Entity> entities;  // kFix
};

// "html", "markdownv2" or "markdown".
const char* ModeName(tgi::text::ParseMode mode);

// Plain pieces for fix inputs: nothing that TDLib's parseMarkdown (which runs its markdown v3
// parser after fix_formatted_text) would read as markup.
bool HasMarkdownV3Markup(const std::string& s);

// The spec's examples and error cases (spec 3.2 to 3.5).
std::vector<Input> SpecInputs();

// `count` inputs from `seed`, by turns: HTML, MarkdownV2 and Markdown to parse, a text to find
// entities in, a text with entities to fix.
std::vector<Input> RandomInputs(uint64_t seed, int count);

}  // namespace text_diff
