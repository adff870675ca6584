#include "text/fix.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "common/utf8.h"
#include "text/entity_kinds.h"
#include "text/find_entities.h"
#include "text/links.h"
#include "text/numbers.h"
#include "text/utf16.h"

namespace tgi::text {
namespace {

using FixResult = Result<FormattedText, std::string>;

// The server's limit on a message's bytes.
constexpr size_t kMaxTextBytes = 35000;

Unexpected<std::string> FixError(std::string text) { return {std::move(text)}; }

int32_t EndOf(const Entity& e) { return e.offset + e.length; }

// Bytes 0-31 but '\n' and '\r' become spaces.
bool IsControlToSpace(unsigned char c) { return c < 32 && c != '\n' && c != '\r'; }

// U+2028..U+202E (E2 80 A8..AE) at s[pos], which cleaning removes.
bool IsRemovedSeparator(std::string_view s, size_t pos) {
  return static_cast<unsigned char>(s[pos]) == 0xE2 && pos + 2 < s.size() &&
         static_cast<unsigned char>(s[pos + 1]) == 0x80 &&
         static_cast<unsigned char>(s[pos + 2]) >= 0xA8 &&
         static_cast<unsigned char>(s[pos + 2]) <= 0xAE;
}

// U+0333, U+033F, U+030A (CC B3, CC BF, CC 8A) at s[pos], which cleaning removes.
bool IsRemovedMark(std::string_view s, size_t pos) {
  if (static_cast<unsigned char>(s[pos]) != 0xCC || pos + 1 >= s.size()) return false;
  auto next = static_cast<unsigned char>(s[pos + 1]);
  return next == 0xB3 || next == 0xBF || next == 0x8A;
}

// "(U+200E|U+200F){N}(U+200E|U+200F)" -> "(U+200C){N}$2".
void ReplaceOffendingCharacters(std::string& s) {
  auto is_mark = [&s](size_t pos) {
    return pos + 2 < s.size() && static_cast<unsigned char>(s[pos]) == 0xE2 &&
           static_cast<unsigned char>(s[pos + 1]) == 0x80 &&
           (static_cast<unsigned char>(s[pos + 2]) == 0x8E ||
            static_cast<unsigned char>(s[pos + 2]) == 0x8F);
  };
  for (size_t pos = 0; pos < s.size(); ++pos) {
    if (!is_mark(pos)) continue;
    while (is_mark(pos + 3)) {
      s[pos + 2] = static_cast<char>(0x8C);
      pos += 3;
    }
    pos += 2;
  }
}

bool IsValidUserId(int64_t id) { return id > 0 && id <= (int64_t{1} << 40) - 1; }

void RemoveEmptyEntities(std::vector<Entity>& entities) {
  std::erase_if(entities, [](const Entity& e) {
    if (e.length <= 0) return true;
    switch (e.type) {
      case EntityType::kTextLink:
        return e.argument.empty();
      case EntityType::kTextMention:
        return !IsValidUserId(e.user_id);
      case EntityType::kCustomEmoji:
        return LenientInteger<int64_t>(e.argument) == 0;
      case EntityType::kDateTime:
        return e.unix_time <= 0;
      default:
        return false;
    }
  });
}

// Are the entities (sorted) already as the nesting rules want them?
bool AreEntitiesValid(const std::vector<Entity>& entities) {
  int32_t end_pos[kSplittableCount];
  std::fill_n(end_pos, kSplittableCount, -1);
  std::vector<const Entity*> stack;
  uint32_t nested_mask = 0;
  for (const Entity& entity : entities) {
    while (!stack.empty() && entity.offset >= EndOf(*stack.back())) {
      nested_mask -= TypeBit(stack.back()->type);
      stack.pop_back();
    }
    if (!stack.empty()) {
      if (EndOf(entity) > EndOf(*stack.back())) return false;       // intersects
      if ((nested_mask & TypeBit(entity.type)) != 0) return false;  // same type nested
      if (IsPreLike(stack.back()->type)) return false;              // pre and code contain nothing
      if (IsPreLike(entity.type) && (nested_mask & ~kBlockquoteTypes) != 0) return false;
      if ((IsContinuous(entity.type) || IsBlockquote(entity.type)) &&
          (nested_mask & kContinuousTypes) != 0) {
        return false;
      }
      if (IsBlockquote(entity.type) && (nested_mask & kBlockquoteTypes) != 0) return false;
      if ((nested_mask & kSplittableTypes) != 0) return false;  // might need splitting
    }
    if (IsSplittable(entity.type)) {
      int index = SplittableIndex(entity.type);
      if (end_pos[index] >= entity.offset) return false;  // could be merged
      end_pos[index] = EndOf(entity);
    }
    stack.push_back(&entity);
    nested_mask += TypeBit(entity.type);
  }
  return true;
}

// Keeps the entities (sorted) that intersect none kept before them, nested ones included.
void RemoveIntersectingEntities(std::vector<Entity>& entities) {
  int32_t last_end = 0;
  size_t kept = 0;
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].offset >= last_end) {
      last_end = EndOf(entities[i]);
      if (i != kept) entities[kept] = std::move(entities[i]);
      ++kept;
    }
  }
  entities.erase(entities.begin() + static_cast<ptrdiff_t>(kept), entities.end());
}

// Drops the entities (sorted, not intersecting) that a blockquote (sorted, not intersecting)
// cuts: they may lie inside one or outside all.
void RemoveEntitiesIntersectingBlockquote(std::vector<Entity>& entities,
                                          const std::vector<Entity>& blockquotes) {
  if (blockquotes.empty()) return;
  auto quote = blockquotes.begin();
  size_t kept = 0;
  for (size_t i = 0; i < entities.size(); ++i) {
    const Entity& e = entities[i];
    while (quote != blockquotes.end() &&
           (!IsBlockquote(quote->type) || EndOf(*quote) <= e.offset)) {
      ++quote;
    }
    if (quote != blockquotes.end() &&
        (EndOf(*quote) < EndOf(e) || (e.offset < quote->offset && quote->offset < EndOf(e)))) {
      continue;
    }
    if (i != kept) entities[kept] = std::move(entities[i]);
    ++kept;
  }
  entities.erase(entities.begin() + static_cast<ptrdiff_t>(kept), entities.end());
}

constexpr EntityType kSplittableOrder[kSplittableCount] = {
    EntityType::kBold, EntityType::kItalic, EntityType::kUnderline, EntityType::kStrikethrough,
    EntityType::kSpoiler};

// Splits the splittable `entities` (sorted) at the borders of `others` (sorted), merging those
// of a type that overlap or touch, and drops their parts inside a pre-like entity.
void SplitEntities(std::vector<Entity>& entities, const std::vector<Entity>& others) {
  int32_t begin_pos[kSplittableCount] = {};
  int32_t end_pos[kSplittableCount] = {};
  auto it = entities.begin();
  std::vector<Entity> result;
  auto flush = [&](int32_t offset) {
    for (EntityType type : kSplittableOrder) {
      int index = SplittableIndex(type);
      if (end_pos[index] != 0 && begin_pos[index] < offset) {
        Entity piece;
        piece.type = type;
        piece.offset = begin_pos[index];
        if (end_pos[index] <= offset) {
          piece.length = end_pos[index] - begin_pos[index];
          begin_pos[index] = 0;
          end_pos[index] = 0;
        } else {
          piece.length = offset - begin_pos[index];
          begin_pos[index] = offset;
        }
        result.push_back(std::move(piece));
      }
    }
  };
  auto add_entities = [&](int32_t end_offset) {
    for (; it != entities.end() && it->offset < end_offset; ++it) {
      int index = SplittableIndex(it->type);
      if (it->offset <= end_pos[index] && end_pos[index] != 0) {
        end_pos[index] = std::max(end_pos[index], EndOf(*it));
      } else {
        flush(it->offset);
        begin_pos[index] = it->offset;
        end_pos[index] = EndOf(*it);
      }
    }
    flush(end_offset);
  };
  std::vector<const Entity*> stack;
  auto add_offset = [&](int32_t offset) {
    while (!stack.empty() && offset >= EndOf(*stack.back())) {
      size_t old_size = result.size();
      add_entities(EndOf(*stack.back()));
      if (IsPreLike(stack.back()->type)) result.resize(old_size);
      stack.pop_back();
    }
    add_entities(offset);
  };
  for (const Entity& other : others) {
    add_offset(other.offset);
    stack.push_back(&other);
  }
  add_offset(std::numeric_limits<int32_t>::max());
  entities = std::move(result);
  SortEntities(entities);
}

std::vector<Entity> Resplit(std::vector<Entity> splittable, std::vector<Entity> entities) {
  if (splittable.empty()) return entities;
  SplitEntities(splittable, entities);
  if (entities.empty()) return splittable;
  entities.insert(entities.end(), std::make_move_iterator(splittable.begin()),
                  std::make_move_iterator(splittable.end()));
  SortEntities(entities);
  return entities;
}

// Repairs the nesting of `entities` (spec 3.7, TDLib's fix_entities).
void FixEntities(std::vector<Entity>& entities) {
  SortEntities(entities);
  if (AreEntitiesValid(entities)) return;
  std::vector<Entity> continuous, blockquotes, splittable;
  for (Entity& e : entities) {
    if (IsSplittable(e.type)) {
      splittable.push_back(std::move(e));
    } else if (IsBlockquote(e.type)) {
      blockquotes.push_back(std::move(e));
    } else {
      continuous.push_back(std::move(e));
    }
  }
  RemoveIntersectingEntities(continuous);
  if (!blockquotes.empty()) {
    RemoveIntersectingEntities(blockquotes);
    RemoveEntitiesIntersectingBlockquote(continuous, blockquotes);
    continuous.insert(continuous.end(), std::make_move_iterator(blockquotes.begin()),
                      std::make_move_iterator(blockquotes.end()));
    SortEntities(continuous);
  }
  entities = Resplit(std::move(splittable), std::move(continuous));
}

// Adds the found entities (sorted, not intersecting) where they cut no entity already there.
void MergeNewEntities(std::vector<Entity>& entities, std::vector<Entity> found) {
  if (found.empty()) return;
  std::vector<Entity> continuous, blockquotes, splittable;
  for (Entity& e : entities) {
    if (IsSplittable(e.type)) {
      splittable.push_back(std::move(e));
    } else if (IsBlockquote(e.type)) {
      blockquotes.push_back(std::move(e));
    } else {
      continuous.push_back(std::move(e));
    }
  }
  RemoveEntitiesIntersectingBlockquote(found, blockquotes);

  // An old entity wins over the new ones it touches.
  std::vector<Entity> merged;
  merged.reserve(continuous.size() + found.size());
  auto next = found.begin();
  for (Entity& old : continuous) {
    while (next != found.end() && EndOf(*next) <= old.offset) merged.push_back(std::move(*next++));
    int32_t old_end = EndOf(old);
    merged.push_back(std::move(old));
    while (next != found.end() && next->offset < old_end) ++next;
  }
  while (next != found.end()) merged.push_back(std::move(*next++));

  if (!blockquotes.empty()) {
    merged.insert(merged.end(), std::make_move_iterator(blockquotes.begin()),
                  std::make_move_iterator(blockquotes.end()));
    SortEntities(merged);
  }
  entities = Resplit(std::move(splittable), std::move(merged));
}

// Cleans `text` (REQUIRES: well-formed UTF-8) and moves the entities (sorted, nested but not
// intersecting) with it: TDLib's clean_input_string_with_entities.
Result<std::string, std::string> CleanWithEntities(std::string_view text,
                                                   std::vector<Entity>& entities) {
  struct Open {
    size_t index;
    int32_t skipped_before;
  };
  std::vector<Open> stack;
  size_t current = 0;
  int32_t utf16_offset = 0;
  int32_t utf16_skipped = 0;
  std::string result;
  result.reserve(text.size());
  for (size_t pos = 0; pos <= text.size(); ++pos) {
    auto c = pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0;
    bool is_char_begin = IsLeadByte(c);
    if (is_char_begin) {
      while (!stack.empty()) {
        Entity& e = entities[stack.back().index];
        int32_t end = EndOf(e);
        if (utf16_offset < end) break;
        if (utf16_offset != end) {
          return Unexpected("Entity beginning at UTF-16 offset " + std::to_string(e.offset) +
                            " ends in a middle of a UTF-16 symbol at byte offset " +
                            std::to_string(pos));
        }
        int32_t skipped_before = stack.back().skipped_before;
        e.offset -= skipped_before;
        e.length -= utf16_skipped - skipped_before;
        stack.pop_back();
      }
      while (current < entities.size() && utf16_offset >= entities[current].offset) {
        if (utf16_offset != entities[current].offset) {
          return Unexpected("Entity begins in a middle of a UTF-16 symbol at byte offset " +
                            std::to_string(pos));
        }
        stack.push_back({current++, utf16_skipped});
      }
    }
    if (pos == text.size()) break;

    if (IsControlToSpace(c) || c == ' ') {
      result.push_back(' ');
      ++utf16_offset;
    } else if (c == '\r') {
      ++utf16_offset;
      ++utf16_skipped;
    } else {
      if (is_char_begin) utf16_offset += Utf16Units(c);
      if (IsRemovedSeparator(text, pos)) {
        pos += 2;
        ++utf16_skipped;
      } else if (IsRemovedMark(text, pos)) {
        pos += 1;
        ++utf16_skipped;
      } else {
        result.push_back(static_cast<char>(c));
      }
    }
  }
  if (current != entities.size()) {
    return Unexpected("Entity begins after the end of the text at UTF-16 offset " +
                      std::to_string(entities[current].offset));
  }
  if (!stack.empty()) {
    const Entity& e = entities[stack.back().index];
    return Unexpected("Entity beginning at UTF-16 offset " + std::to_string(e.offset) +
                      " ends after the end of the text at UTF-16 offset " +
                      std::to_string(EndOf(e)));
  }
  ReplaceOffendingCharacters(result);
  return result;
}

struct LastVisible {
  size_t byte_pos;    // of the last byte of the last character that is not ' ' or '\n'
  int32_t utf16_pos;  // of its last UTF-16 unit; -1 if there is none
};

// TDLib's remove_invalid_entities: drops empty entities, finds the last character that is not
// a space or a newline.
LastVisible FindLastVisible(std::string_view text, std::vector<Entity>& entities) {
  if (entities.empty()) {
    for (size_t k = text.size(); k > 0; --k) {
      if (text[k - 1] != '\n' && text[k - 1] != ' ') return {k - 1, 0};
    }
    return {text.size(), -1};
  }
  RemoveEmptyEntities(entities);
  LastVisible last{text.size(), -1};
  int32_t utf16_offset = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    auto c = static_cast<unsigned char>(text[pos]);
    if (c != '\n' && c != ' ') {
      while (pos + 1 < text.size() && !IsLeadByte(static_cast<unsigned char>(text[pos + 1]))) ++pos;
      utf16_offset += c >= 0xF0;
      last = {pos, utf16_offset};
    }
    ++utf16_offset;
  }
  return last;
}

// TDLib's is_empty_string: is there nothing visible in `text`?
bool IsEmptyAfterStripping(std::string_view text) {
  return StripEmptyCharacters(text, text.size()).empty();
}

// TDLib's is_space, the set its trim() removes at both ends.
bool IsTdlibSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\0';
}

std::string_view TrimTdlibSpaces(std::string_view s) {
  while (!s.empty() && IsTdlibSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsTdlibSpace(s.back())) s.remove_suffix(1);
  return s;
}

// TDLib's utf8_truncate: the first `max_code_points` code points, counted by their lead bytes
// (any byte but 0x80-0xBF), so it is safe on any input.
std::string_view TruncateCodePoints(std::string_view s, size_t max_code_points) {
  if (s.size() <= max_code_points) return s;
  size_t left = max_code_points;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (left == 0) return s.substr(0, i);
    --left;
  }
  return s;
}

bool IsFoundType(EntityType type) { return !IsUserEntity(type); }

}  // namespace

bool CleanInputString(std::string& text) {
  if (!utf8::IsValid(text)) return false;
  size_t size = text.size();
  size_t new_size = 0;
  for (size_t pos = 0; pos < size; ++pos) {
    auto c = static_cast<unsigned char>(text[pos]);
    if (IsControlToSpace(c)) {
      text[new_size++] = ' ';
    } else if (c == '\r') {
      // removed
    } else if (IsRemovedSeparator(text, pos)) {
      pos += 2;
    } else if (IsRemovedMark(text, pos)) {
      pos += 1;
    } else {
      text[new_size++] = text[pos];
    }
    if (new_size >= kMaxTextBytes - 3 &&
        IsLeadByte(static_cast<unsigned char>(text[new_size - 1]))) {
      --new_size;
      break;
    }
  }
  text.resize(new_size);
  ReplaceOffendingCharacters(text);
  return true;
}

std::string StripEmptyCharacters(std::string_view text, size_t max_code_points) {
  // Space characters: U+1680, U+180E, U+2000-U+200A, U+202F, U+205F, U+2800, U+3000, U+FFFC
  // (U+202E too in TDLib, but only with strip_rtlo, off for every caller here), and the tags
  // U+E0000-U+E007F (F3 A0 80|81 xx). Each becomes one ' '.
  static constexpr std::string_view kSpaces[] = {
      "\u1680", "\u180E", "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
      "\u2007", "\u2008", "\u2009", "\u200A", "\u202F", "\u205F", "\u2800", "\u3000", "\uFFFC"};
  std::string s;
  s.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xF3 && i + 4 <= text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0 &&
        (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0x80) {
      s.push_back(' ');
      i += 4;
      continue;
    }
    if (i + 3 <= text.size() && (c == 0xE1 || c == 0xE2 || c == 0xE3 || c == 0xEF)) {
      std::string_view three = text.substr(i, 3);
      if (std::find(std::begin(kSpaces), std::end(kSpaces), three) != std::end(kSpaces)) {
        s.push_back(' ');
        i += 3;
        continue;
      }
    }
    s.push_back(text[i++]);
  }
  // Trim, cut, trim again; then what is left must have something but ' ', '\n', U+200B-U+200F,
  // U+202E, U+FEFF and U+00A0, or the result is "".
  std::string_view rest = TrimTdlibSpaces(TruncateCodePoints(TrimTdlibSpaces(s), max_code_points));
  auto byte = [&rest](size_t i) {
    return i < rest.size() ? static_cast<unsigned char>(rest[i]) : 0;
  };
  for (size_t i = 0; i < rest.size();) {
    unsigned char c = byte(i);
    if (c == ' ' || c == '\n') {
      ++i;
    } else if (c == 0xE2 && byte(i + 1) == 0x80 &&
               ((byte(i + 2) >= 0x8B && byte(i + 2) <= 0x8F) || byte(i + 2) == 0xAE)) {
      i += 3;
    } else if (c == 0xEF && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF) {
      i += 3;
    } else if (c == 0xC2 && byte(i + 1) == 0xA0) {
      i += 2;
    } else {
      return std::string(rest);
    }
  }
  return {};
}

std::string CleanName(std::string_view text, size_t max_code_points) {
  std::string stripped = StripEmptyCharacters(text, max_code_points);
  std::string out;
  out.reserve(stripped.size());
  bool previous_space = false;
  for (size_t i = 0; i < stripped.size(); ++i) {
    char c = stripped[i];
    bool nbsp = static_cast<unsigned char>(c) == 0xC2 && i + 1 < stripped.size() &&
                static_cast<unsigned char>(stripped[i + 1]) == 0xA0;
    if (c == ' ' || c == '\n' || nbsp) {
      if (nbsp) ++i;
      if (!previous_space) out.push_back(' ');
      previous_space = true;
      continue;
    }
    out.push_back(c);
    previous_space = false;
  }
  return std::string(TrimTdlibSpaces(out));
}

bool IsInvisibleText(std::string_view text) { return IsEmptyAfterStripping(text); }

Result<std::vector<Entity>, std::string> PrepareInputEntities(std::vector<Entity> entities) {
  std::vector<Entity> result;
  result.reserve(entities.size());
  // The last text_link checked, as given and as checked: nested links of one text (from
  // "<a><a>...</a></a>") share their URL, and checking it once keeps them linear.
  std::string last_link_given;
  std::optional<Entity> last_link_checked;
  for (Entity& entity : entities) {
    if (entity.type == EntityType::kTextLink && last_link_checked &&
        entity.argument == last_link_given) {
      int32_t offset = entity.offset, length = entity.length;
      entity = *last_link_checked;
      entity.offset = offset;
      entity.length = length;
      result.push_back(std::move(entity));
      continue;
    }
    switch (entity.type) {
      case EntityType::kPre:
        if (!CleanInputString(entity.argument)) {
          return Unexpected(std::string("MessageEntityPreCode.language must be encoded in UTF-8"));
        }
        break;
      case EntityType::kTextLink: {
        last_link_given = entity.argument;
        if (!CleanInputString(entity.argument)) {
          return Unexpected(std::string("MessageEntityTextUrl.url must be encoded in UTF-8"));
        }
        if (auto user_id = LinkUserId(entity.argument)) {
          entity.type = EntityType::kTextMention;
          entity.argument.clear();
          entity.user_id = *user_id;
        } else {
          auto url = CheckLink(entity.argument);
          if (!url) return Unexpected("Entity " + url.error());
          entity.argument = std::move(*url);
        }
        last_link_checked = entity;
        break;
      }
      case EntityType::kCustomEmoji:
        if (LenientInteger<int64_t>(entity.argument) == 0) {
          return Unexpected(std::string("Invalid custom emoji identifier specified"));
        }
        break;
      case EntityType::kDateTime:
        if (entity.unix_time <= 0) return Unexpected(std::string("Invalid date specified"));
        break;
      default:
        break;
    }
    if (IsUserEntity(entity.type)) result.push_back(std::move(entity));
  }
  return result;
}

Result<FormattedText, std::string> FixFormattedText(FormattedText input,
                                                    const FixOptions& options) {
  std::vector<Entity>& entities = input.entities;
  std::string result;
  if (entities.empty()) {
    if (!CleanInputString(input.text)) return FixError("Strings must be encoded in UTF-8");
    result = std::move(input.text);
  } else {
    if (!utf8::IsValid(input.text)) return FixError("Strings must be encoded in UTF-8");
    for (const Entity& e : entities) {
      if (e.offset < 0 || e.offset > 1000000) {
        return FixError("Receive an entity with incorrect offset " + std::to_string(e.offset));
      }
      if (e.length < 0 || e.length > 1000000) {
        return FixError("Receive an entity with incorrect length " + std::to_string(e.length));
      }
    }
    RemoveEmptyEntities(entities);
    FixEntities(entities);
    auto cleaned = CleanWithEntities(input.text, entities);
    if (!cleaned) return FixError(std::move(cleaned.error()));
    result = std::move(*cleaned);
  }
  // The entities are still sorted by offset and length, not always by type: removed characters
  // can make some end together.

  LastVisible last = FindLastVisible(result, entities);
  if (last.utf16_pos == -1) {
    if (options.allow_empty) return FormattedText{};
    return FixError("Text must be non-empty");
  }
  FixEntities(entities);

  FormattedText out;
  if (options.skip_trim) {
    out.text = std::move(result);
  } else {
    result.resize(last.byte_pos + 1);
    while (!entities.empty() && entities.back().offset > last.utf16_pos) entities.pop_back();
    bool need_sort = false;
    for (Entity& e : entities) {
      if (EndOf(e) > last.utf16_pos + 1) {
        e.length = last.utf16_pos + 1 - e.offset;
        need_sort = true;
      }
    }
    if (need_sort) SortEntities(entities);

    // Leading spaces and newlines are one byte and one UTF-16 unit each, so the first entity's
    // offset bounds them in bytes too.
    size_t first_entity =
        entities.empty() ? result.size() : static_cast<size_t>(entities[0].offset);
    size_t skip = 0;
    while (skip < first_entity && (result[skip] == ' ' || result[skip] == '\n')) ++skip;
    if (skip > 0) {
      out.text = result.substr(skip);
      for (Entity& e : entities) e.offset -= static_cast<int32_t>(skip);
    } else {
      out.text = std::move(result);
    }
  }

  if (IsEmptyAfterStripping(out.text) && !options.allow_empty) {
    return FixError("Text must be non-empty");
  }

  if (out.text.size() > kMaxTextBytes) {
    size_t new_size = kMaxTextBytes;
    while (!IsLeadByte(static_cast<unsigned char>(out.text[new_size]))) --new_size;
    out.text.resize(new_size);
    auto length = static_cast<int32_t>(Utf16Length(out.text));
    std::erase_if(entities, [length](const Entity& e) { return EndOf(e) > length; });
  }

  if (options.find_entities) {
    MergeNewEntities(entities,
                     FindEntities(out.text, {.skip_bot_commands = options.skip_bot_commands}));
  }
  out.entities = std::move(entities);
  return out;
}

void CapFormattingEntities(std::vector<Entity>& entities) {
  size_t counted = 0;
  std::vector<bool> keep(entities.size(), true);
  for (size_t i = 0; i < entities.size(); ++i) {
    EntityType type = entities[i].type;
    if (IsFoundType(type) || IsSplittable(type) || type == EntityType::kCustomEmoji) continue;
    if (counted >= kMaxFormattingEntities) {
      keep[i] = false;
    } else {
      ++counted;
    }
  }
  // TDLib sends the splittable ones merged (pieces of one type that touch or overlap, as fixing
  // split them around other entities, count once), in sort order.
  struct Run {
    Entity merged;
    std::vector<size_t> pieces;
  };
  std::vector<Run> runs;
  std::vector<size_t> open_run(kSplittableCount, SIZE_MAX);  // per type, its last run
  for (size_t i = 0; i < entities.size(); ++i) {
    const Entity& e = entities[i];
    if (!IsSplittable(e.type)) continue;
    size_t& last = open_run[SplittableIndex(e.type)];
    if (last != SIZE_MAX && e.offset <= EndOf(runs[last].merged)) {
      Entity& merged = runs[last].merged;
      merged.length = std::max(EndOf(merged), EndOf(e)) - merged.offset;
      runs[last].pieces.push_back(i);
      continue;
    }
    last = runs.size();
    runs.push_back({e, {i}});
  }
  std::stable_sort(runs.begin(), runs.end(),
                   [](const Run& a, const Run& b) { return EntityLess(a.merged, b.merged); });
  for (const Run& run : runs) {
    if (counted < kMaxFormattingEntities) {
      ++counted;
      continue;
    }
    for (size_t i : run.pieces) keep[i] = false;
  }
  size_t kept = 0;
  for (size_t i = 0; i < entities.size(); ++i) {
    if (!keep[i]) continue;
    if (i != kept) entities[kept] = std::move(entities[i]);
    ++kept;
  }
  entities.resize(kept);
}

}  // namespace tgi::text
