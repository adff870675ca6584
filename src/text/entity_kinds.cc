#include "text/entity_kinds.h"

#include <algorithm>

namespace tgi::text {

int TypePriority(const Entity& entity) {
  switch (entity.type) {
    case EntityType::kBlockquote:
    case EntityType::kExpandableBlockquote:
      return 0;
    case EntityType::kPre:
      return entity.argument.empty() ? 11 : 10;
    case EntityType::kCode:
      return 20;
    case EntityType::kDateTime:
      return 30;
    case EntityType::kTextLink:
    case EntityType::kTextMention:
      return 49;
    case EntityType::kBold:
      return 90;
    case EntityType::kItalic:
      return 91;
    case EntityType::kUnderline:
      return 92;
    case EntityType::kStrikethrough:
      return 93;
    case EntityType::kSpoiler:
      return 94;
    case EntityType::kCustomEmoji:
      return 99;
    default:
      return 50;
  }
}

bool EntityLess(const Entity& a, const Entity& b) {
  if (a.offset != b.offset) return a.offset < b.offset;
  if (a.length != b.length) return a.length > b.length;
  return TypePriority(a) < TypePriority(b);
}

void SortEntities(std::vector<Entity>& entities) {
  if (std::is_sorted(entities.begin(), entities.end(), EntityLess)) return;
  std::stable_sort(entities.begin(), entities.end(), EntityLess);
}

}  // namespace tgi::text
