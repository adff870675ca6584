// Helpers of the text tests: entities written compactly, and a FormattedText printed readably.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "text/formatted_text.h"

namespace tgi::text {

// "bold(0,5)", "pre(0,8,python)", "text_link(6,4,https://t.me/)", "text_mention(0,1,#123)",
// "date_time(0,1,@1647531900,wDT)".
inline std::string Describe(const Entity& e) {
  std::string s = std::string(EntityTypeName(e.type)) + "(" + std::to_string(e.offset) + "," +
                  std::to_string(e.length);
  if (e.type == EntityType::kTextMention) s += ",#" + std::to_string(e.user_id);
  if (e.type == EntityType::kDateTime) s += ",@" + std::to_string(e.unix_time);
  if (!e.argument.empty() || e.type == EntityType::kDateTime) s += "," + e.argument;
  return s + ")";
}

inline std::string Describe(const std::vector<Entity>& entities) {
  std::string s;
  for (const Entity& e : entities) {
    if (!s.empty()) s.push_back(' ');
    s.append(Describe(e));
  }
  return s;
}

inline Entity E(EntityType type, int32_t offset, int32_t length, std::string argument = {}) {
  Entity e;
  e.type = type;
  e.offset = offset;
  e.length = length;
  e.argument = std::move(argument);
  return e;
}

inline void PrintTo(const FormattedText& t, std::ostream* os) {
  *os << '"' << t.text << "\" [" << Describe(t.entities) << "]";
}

}  // namespace tgi::text
