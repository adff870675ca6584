// What kind of entity each EntityType is, for the nesting rules (spec 3.7) and the sort order of
// spec 1.4 (TDLib's MessageEntity::operator< and get_type_priority).
#pragma once

#include <cstdint>
#include <vector>

#include "text/formatted_text.h"

namespace tgi::text {

constexpr uint32_t TypeBit(EntityType type) { return uint32_t{1} << static_cast<int>(type); }

// bold, italic, underline, strikethrough, spoiler: split at other entities' borders, merged
// when they touch.
inline constexpr uint32_t kSplittableTypes =
    TypeBit(EntityType::kBold) | TypeBit(EntityType::kItalic) | TypeBit(EntityType::kUnderline) |
    TypeBit(EntityType::kStrikethrough) | TypeBit(EntityType::kSpoiler);
inline constexpr uint32_t kBlockquoteTypes =
    TypeBit(EntityType::kBlockquote) | TypeBit(EntityType::kExpandableBlockquote);
// Entities that can't be cut: they never intersect one another.
inline constexpr uint32_t kContinuousTypes =
    TypeBit(EntityType::kMention) | TypeBit(EntityType::kHashtag) |
    TypeBit(EntityType::kBotCommand) | TypeBit(EntityType::kUrl) | TypeBit(EntityType::kEmail) |
    TypeBit(EntityType::kTextLink) | TypeBit(EntityType::kTextMention) |
    TypeBit(EntityType::kCashtag) | TypeBit(EntityType::kPhoneNumber) |
    TypeBit(EntityType::kBankCardNumber) | TypeBit(EntityType::kCustomEmoji);
// code, pre and date_time contain nothing and sit only inside a blockquote.
inline constexpr uint32_t kPreTypes =
    TypeBit(EntityType::kCode) | TypeBit(EntityType::kPre) | TypeBit(EntityType::kDateTime);
// The entities a sender sets (formatting), as opposed to those found in the text.
inline constexpr uint32_t kUserTypes =
    kSplittableTypes | kBlockquoteTypes | TypeBit(EntityType::kTextLink) |
    TypeBit(EntityType::kTextMention) | TypeBit(EntityType::kCustomEmoji) | kPreTypes;

constexpr bool IsSplittable(EntityType t) { return (TypeBit(t) & kSplittableTypes) != 0; }
constexpr bool IsBlockquote(EntityType t) { return (TypeBit(t) & kBlockquoteTypes) != 0; }
constexpr bool IsContinuous(EntityType t) { return (TypeBit(t) & kContinuousTypes) != 0; }
constexpr bool IsPreLike(EntityType t) { return (TypeBit(t) & kPreTypes) != 0; }
constexpr bool IsUserEntity(EntityType t) { return (TypeBit(t) & kUserTypes) != 0; }

// 0..4 for bold, italic, underline, strikethrough, spoiler. REQUIRES: IsSplittable(t).
constexpr int SplittableIndex(EntityType t) {
  return static_cast<int>(t) - static_cast<int>(EntityType::kBold);
}
inline constexpr int kSplittableCount = 5;

// The third key of the sort order: blockquote 0, pre with a language 10, pre 11, code 20,
// date_time 30, text_link and text_mention 49, found entities 50, bold 90, italic 91,
// underline 92, strikethrough 93, spoiler 94, custom_emoji 99.
int TypePriority(const Entity& entity);

// Offset ascending, then length descending, then TypePriority ascending.
bool EntityLess(const Entity& a, const Entity& b);

// Sorts by EntityLess, keeping the order of entities that compare equal (as TDLib's std::sort
// does for the short lists it sorts).
void SortEntities(std::vector<Entity>& entities);

}  // namespace tgi::text
