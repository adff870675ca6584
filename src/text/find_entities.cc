#include "text/find_entities.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <string>

#include "text/entity_kinds.h"
#include "text/unicode.h"
#include "text/utf16.h"

namespace tgi::text {
namespace {

// A match: bytes [begin, end) of the text.
struct Span {
  size_t begin;
  size_t end;
};

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAlphaDigit(char32_t c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsAlphaDigitOrUnderscore(char32_t c) { return IsAlphaDigit(c) || c == '_'; }
bool IsAlphaDigitUnderscoreOrMinus(char32_t c) { return IsAlphaDigitOrUnderscore(c) || c == '-'; }

// Letters, digits and numbers of any script, and '_'.
bool IsWordCharacter(char32_t c) {
  switch (GetCharCategory(c)) {
    case CharCategory::kLetter:
    case CharCategory::kDecimalNumber:
    case CharCategory::kNumber:
      return true;
    default:
      return c == '_';
  }
}

bool IsHashtagLetter(char32_t c, CharCategory* category) {
  *category = GetCharCategory(c);
  if (c == '_' || c == 0x200C || c == 0xB7 || (c >= 0xD80 && c <= 0xDFF)) return true;
  return *category == CharCategory::kDecimalNumber || *category == CharCategory::kLetter;
}

char32_t CodePointAt(std::string_view s, size_t pos) {
  char32_t c = 0;
  if (pos < s.size()) DecodeNext(s, pos, &c);
  return c;
}

size_t Find(std::string_view s, char c, size_t from) {
  size_t pos = s.find(c, from);
  return pos == std::string_view::npos ? s.size() : pos;
}

// '/(?<=\B)@([a-zA-Z0-9_]{2,32})(?=\b)/u'
std::vector<Span> MatchMentions(std::string_view s) {
  std::vector<Span> result;
  for (size_t pos = Find(s, '@', 0); pos < s.size(); pos = Find(s, '@', pos)) {
    if (pos != 0 && IsWordCharacter(DecodePrev(s, pos))) {
      ++pos;
      continue;
    }
    size_t begin = ++pos;
    while (pos < s.size() && IsAlphaDigitOrUnderscore(static_cast<unsigned char>(s[pos]))) ++pos;
    size_t size = pos - begin;
    if (size < 2 || size > 32) continue;
    if (IsWordCharacter(CodePointAt(s, pos))) continue;
    result.push_back({begin - 1, pos});
  }
  return result;
}

// '/(?<!\b|[\/<>])\/([a-zA-Z0-9_]{1,64})(?:@([a-zA-Z0-9_]{3,32}))?(?!\B|[\/<>])/u'
std::vector<Span> MatchBotCommands(std::string_view s) {
  std::vector<Span> result;
  auto is_blocker = [](char32_t c) {
    return IsWordCharacter(c) || c == '/' || c == '<' || c == '>';
  };
  for (size_t pos = Find(s, '/', 0); pos < s.size(); pos = Find(s, '/', pos)) {
    if (pos != 0 && is_blocker(DecodePrev(s, pos))) {
      ++pos;
      continue;
    }
    size_t begin = ++pos;
    while (pos < s.size() && IsAlphaDigitOrUnderscore(static_cast<unsigned char>(s[pos]))) ++pos;
    size_t end = pos;
    if (end - begin < 1 || end - begin > 64) continue;
    if (pos < s.size() && s[pos] == '@') {
      size_t name_begin = ++pos;
      while (pos < s.size() && IsAlphaDigitOrUnderscore(static_cast<unsigned char>(s[pos]))) ++pos;
      if (pos - name_begin < 3 || pos - name_begin > 32) continue;
      end = pos;
    }
    if (is_blocker(CodePointAt(s, pos))) continue;
    result.push_back({begin - 1, end});
  }
  return result;
}

// '/(?<=^|[^is_hashtag_letter])#([is_hashtag_letter]{1,256})(?:@([a-zA-Z0-9_]{3,32}))?
//   (?![is_hashtag_letter]*#)/u', with at least one letter
std::vector<Span> MatchHashtags(std::string_view s) {
  std::vector<Span> result;
  CharCategory category;
  for (size_t pos = Find(s, '#', 0); pos < s.size(); pos = Find(s, '#', pos)) {
    if (pos != 0 && IsHashtagLetter(DecodePrev(s, pos), &category)) {
      ++pos;
      continue;
    }
    size_t begin = ++pos;
    size_t size = 0;
    size_t end = 0;
    bool has_end = false;
    bool was_letter = false;
    while (pos < s.size()) {
      char32_t c;
      size_t next = DecodeNext(s, pos, &c);
      if (!IsHashtagLetter(c, &category)) break;
      pos = next;
      if (size == 255) end = pos, has_end = true;
      if (size != 256) {
        was_letter |= category == CharCategory::kLetter;
        ++size;
      }
    }
    if (!has_end) end = pos;
    if (size < 1) continue;
    if (end == pos && pos < s.size() && s[pos] == '@') {
      size_t name_end = pos + 1;
      while (name_end < s.size() && name_end - pos < 33 &&
             IsAlphaDigitOrUnderscore(static_cast<unsigned char>(s[name_end]))) {
        ++name_end;
      }
      if (name_end - pos - 1 >= 3) pos = end = name_end;
    }
    if (pos < s.size() && s[pos] == '#') continue;
    if (!was_letter) continue;
    result.push_back({begin - 1, end});
  }
  return result;
}

// '/(?<=^|[^$is_hashtag_letter])\$(1INCH|[A-Z]{1,8})(?:@([a-zA-Z0-9_]{3,32}))?
//   (?![$is_hashtag_letter])/u'
std::vector<Span> MatchCashtags(std::string_view s) {
  std::vector<Span> result;
  CharCategory category;
  for (size_t pos = Find(s, '$', 0); pos < s.size(); pos = Find(s, '$', pos)) {
    if (pos != 0) {
      char32_t prev = DecodePrev(s, pos);
      if (IsHashtagLetter(prev, &category) || prev == '$') {
        ++pos;
        continue;
      }
    }
    size_t begin = ++pos;
    if (s.substr(pos, 5) == "1INCH") {
      pos += 5;
    } else {
      while (pos < s.size() && s[pos] >= 'A' && s[pos] <= 'Z') ++pos;
    }
    size_t end = pos;
    if (end - begin < 1 || end - begin > 8) continue;
    if (pos < s.size() && s[pos] == '@') {
      size_t name_end = pos + 1;
      while (name_end < s.size() &&
             IsAlphaDigitOrUnderscore(static_cast<unsigned char>(s[name_end]))) {
        ++name_end;
      }
      size_t length = name_end - pos - 1;
      if (length >= 3 && length <= 32) pos = end = name_end;
    }
    if (end != s.size()) {
      char32_t next = CodePointAt(s, pos);
      if (IsHashtagLetter(next, &category) || next == '$') continue;
    }
    result.push_back({begin - 1, end});
  }
  return result;
}

// '/(?<=^|[^+_\pL\d-.,])[\d -]{13,}([^_\pL\d-]|$)/'
std::vector<Span> MatchBankCardNumbers(std::string_view s) {
  std::vector<Span> result;
  auto digit = [&s](size_t i) { return IsDigit(static_cast<unsigned char>(s[i])); };
  auto card_char = [&](size_t i) { return digit(i) || s[i] == ' ' || s[i] == '-'; };
  size_t pos = 0;
  while (true) {
    while (pos < s.size() && !digit(pos)) ++pos;
    if (pos == s.size()) break;
    if (pos != 0) {
      char32_t prev = DecodePrev(s, pos);
      if (prev == '.' || prev == ',' || prev == '+' || prev == '-' || prev == '_' ||
          GetCharCategory(prev) == CharCategory::kLetter) {
        while (pos < s.size() && card_char(pos)) ++pos;
        continue;
      }
    }
    size_t begin = pos;
    size_t digit_count = 0;
    while (pos < s.size() && card_char(pos)) {
      if (s[pos] == ' ' && digit_count >= 16 && digit_count <= 19 && digit_count == pos - begin) {
        break;  // a continuous card number
      }
      digit_count += digit(pos);
      ++pos;
    }
    if (digit_count < 13 || digit_count > 19) continue;
    size_t end = pos;
    while (!digit(end - 1)) --end;
    if (end - begin > 2 * digit_count - 1) continue;
    if (end != s.size()) {
      char32_t next = CodePointAt(s, end);
      if (next == '-' || next == '_' || GetCharCategory(next) == CharCategory::kLetter) continue;
    }
    result.push_back({begin, end});
  }
  return result;
}

bool IsValidBankCard(std::string_view s) {
  char digits[19] = {};
  size_t count = 0;
  for (char c : s) {
    if (IsDigit(static_cast<unsigned char>(c)) && count < 19) digits[count++] = c;
  }
  // Luhn's checksum.
  int sum = 0;
  for (size_t i = count; i > 0; --i) {
    int d = digits[i - 1] - '0';
    sum += (count - i) % 2 == 0 ? d : (d < 5 ? 2 * d : 2 * d - 9);
  }
  if (sum % 10 != 0) return false;
  int prefix1 = digits[0] - '0';
  int prefix2 = prefix1 * 10 + (digits[1] - '0');
  int prefix4 = (prefix2 * 10 + (digits[2] - '0')) * 10 + (digits[3] - '0');
  if (prefix1 == 4) return count == 13 || count == 16 || count == 18 || count == 19;  // Visa
  if ((51 <= prefix2 && prefix2 <= 55) || (2221 <= prefix4 && prefix4 <= 2720)) {
    return count == 16;  // Mastercard
  }
  if (prefix2 == 34 || prefix2 == 37) return count == 15;      // American Express
  if (prefix2 == 62 || prefix2 == 81) return count >= 16;      // UnionPay
  if (2200 <= prefix4 && prefix4 <= 2204) return count == 16;  // MIR
  return true;
}

bool IsUrlUnicodeSymbol(char32_t c) {
  if (c >= 0x2000 && c <= 0x206F) {  // General Punctuation: ZWNJ, ZWJ and dashes only
    return c == 0x200C || c == 0x200D || (c >= 0x2010 && c <= 0x2015);
  }
  return GetCharCategory(c) != CharCategory::kSeparator;
}

bool IsUrlPathSymbol(char32_t c) {
  switch (c) {
    case '\n':
    case '<':
    case '>':
    case '"':
    case 0xAB:  // «
    case 0xBB:  // »
      return false;
    default:
      return IsUrlUnicodeSymbol(c);
  }
}

constexpr std::string_view kBadPathEndChars = ".:;,('?!`";

bool IsBadPathEnd(char c) { return kBadPathEndChars.find(c) != std::string_view::npos; }

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The end of a path that starts at s[pos] (one of "/?#"): path symbols, less a bad last char.
// Returns pos itself when only the '?' or '#' would be left.
size_t PathEnd(std::string_view s, size_t pos) {
  size_t end = pos + 1;
  while (end < s.size()) {
    char32_t c;
    size_t next = DecodeNext(s, end, &c);
    if (!IsUrlPathSymbol(c)) break;
    end = next;
  }
  while (end > pos + 1 && IsBadPathEnd(s[end - 1])) --end;
  if (s[pos] == '/' || end > pos + 1) return end;
  return pos;
}

// '(tg|ton|tonsite)://[a-z0-9_-]{1,253}([/?#][^\s\x{2000}-\x{200b}\x{200e}-\x{200f}
//   \x{2016}-\x{206f}<>«»"]*)?'
std::vector<Span> MatchTgUrls(std::string_view s) {
  std::vector<Span> result;
  size_t pos = 0;
  while (s.size() - pos > 5) {
    pos = s.find(':', pos);
    if (pos == std::string_view::npos) break;
    size_t begin = s.size();
    if (s.size() - pos >= 3 && s[pos + 1] == '/' && s[pos + 2] == '/') {
      auto ends_with = [&](std::string_view scheme) {
        if (pos < scheme.size()) return false;
        for (size_t k = 0; k < scheme.size(); ++k) {
          if (LowerAscii(s[pos - scheme.size() + k]) != scheme[k]) return false;
        }
        return true;
      };
      if (ends_with("tg")) {
        begin = pos - 2;
      } else if (ends_with("ton")) {
        begin = pos - 3;
      } else if (ends_with("tonsite")) {
        // TDLib's own slip: the match starts at "ite://", as its find_entities reports.
        begin = pos - 3;
      }
    }
    if (begin == s.size()) {
      ++pos;
      continue;
    }
    pos += 3;
    size_t domain_begin = pos;
    while (pos < s.size() && pos - domain_begin != 253 &&
           IsAlphaDigitUnderscoreOrMinus(static_cast<unsigned char>(s[pos]))) {
      ++pos;
    }
    if (pos == domain_begin) continue;
    if (pos < s.size() && (s[pos] == '/' || s[pos] == '?' || s[pos] == '#')) pos = PathEnd(s, pos);
    result.push_back({begin, pos});
  }
  return result;
}

bool IsProtocolSymbol(char32_t c) {
  if (c < 0x80) return IsAlphaDigit(c) || c == '+' || c == '-';  // no dots
  // Letters and digits of other scripts are taken, to refuse the protocol later.
  return GetCharCategory(c) != CharCategory::kSeparator;
}

bool IsUserDataSymbol(char32_t c) {
  switch (c) {
    case '\n':
    case '/':
    case '[':
    case ']':
    case '{':
    case '}':
    case '(':
    case ')':
    case '\'':
    case '`':
    case '<':
    case '>':
    case '"':
    case '@':
    case 0xAB:
    case 0xBB:
      return false;
    default:
      return IsUrlUnicodeSymbol(c);
  }
}

bool IsDomainSymbol(char32_t c) {
  if (c < 0xC0) return c == '.' || IsAlphaDigitUnderscoreOrMinus(c) || c == '~';
  return IsUrlUnicodeSymbol(c);
}

// Moves `pos` back over the code points for which `accept` holds, not past `floor`.
template <typename Accept>
size_t ScanBack(std::string_view s, size_t pos, size_t floor, Accept accept) {
  while (pos != floor) {
    size_t prev = PrevStart(s, pos);
    char32_t c;
    DecodeNext(s, prev, &c);
    if (!accept(c)) break;
    pos = prev;
  }
  return pos;
}

// The URL candidates around every '.', as TDLib's match_urls.
std::vector<Span> MatchUrls(std::string_view s) {
  std::vector<Span> result;
  size_t begin = 0;  // the start of the part still to search
  const size_t end = s.size();
  while (true) {
    size_t dot = s.find('.', begin);
    if (dot == std::string_view::npos || dot + 1 == end) break;
    if (s[dot + 1] == ' ') {  // fast path
      begin = dot + 2;
      continue;
    }

    size_t domain_begin = ScanBack(s, dot, begin, IsDomainSymbol);
    size_t last_at = end;  // none
    size_t domain_end = dot;
    while (domain_end != end) {
      char32_t c;
      size_t next = DecodeNext(s, domain_end, &c);
      if (c == '@') {
        last_at = domain_end;
      } else if (!IsDomainSymbol(c)) {
        break;
      }
      domain_end = next;
    }
    if (last_at != end) domain_begin = ScanBack(s, domain_begin, begin, IsUserDataSymbol);

    size_t url_end = domain_end;
    if (url_end != end && s[url_end] == ':') {
      size_t port_end = url_end + 1;
      while (port_end != end && IsDigit(static_cast<unsigned char>(s[port_end]))) ++port_end;
      size_t port_begin = url_end + 1;
      while (port_begin != port_end && s[port_begin] == '0') ++port_begin;
      if (port_begin != port_end && port_end - port_begin <= 5 &&
          std::stoul(std::string(s.substr(port_begin, port_end - port_begin))) <= 65535) {
        url_end = port_end;
      }
    }
    if (url_end != end && (s[url_end] == '/' || s[url_end] == '?' || s[url_end] == '#')) {
      url_end = PathEnd(s, url_end);
    }
    while (url_end > dot + 1 && s[url_end - 1] == '.') --url_end;

    bool is_bad = false;
    size_t url_begin = domain_begin;
    if (url_begin != begin && s[url_begin - 1] == '@') {
      if (last_at != end) is_bad = true;
      size_t user_data_begin = ScanBack(s, url_begin - 1, begin, IsUserDataSymbol);
      if (user_data_begin == url_begin - 1) is_bad = true;
      url_begin = user_data_begin;
    }

    if (url_begin != begin) {
      std::string_view prefix = s.substr(begin, url_begin - begin);
      if (prefix.size() >= 6 && prefix.ends_with("://")) {
        size_t protocol_begin = ScanBack(s, url_begin - 3, begin, IsProtocolSymbol);
        std::string protocol(s.substr(protocol_begin, url_begin - 3 - protocol_begin));
        for (char& c : protocol) c = LowerAscii(c);
        std::string_view p = protocol;
        if (p.ends_with("http") && p != "shttp") {
          url_begin -= 7;
        } else if (p.ends_with("https")) {
          url_begin -= 8;
        } else if (p.ends_with("ftp") && p != "tftp" && p != "sftp") {
          url_begin -= 6;
        } else if (p.ends_with("tonsite")) {
          url_begin -= 10;
        } else {
          is_bad = true;
        }
      } else {
        char32_t c = DecodePrev(s, url_begin);
        if (IsWordCharacter(c) || c == '/' || c == '#' || c == '@') is_bad = true;
      }
    }

    if (!is_bad) {
      if (url_end > dot + 1) result.push_back({url_begin, url_end});
      while (url_end != end && s[url_end] == '.') ++url_end;
    } else {
      while (s[url_end - 1] != '.') --url_end;
    }
    if (url_end <= dot) url_end = dot + 1;
    begin = url_end;
  }
  return result;
}

std::vector<std::string_view> SplitDots(std::string_view s) {
  std::vector<std::string_view> parts;
  while (true) {
    size_t pos = s.find('.');
    if (pos == std::string_view::npos) break;
    parts.push_back(s.substr(0, pos));
    s.remove_prefix(pos + 1);
  }
  parts.push_back(s);
  return parts;
}

constexpr std::string_view kCommonTlds[] = {
#include "text/common_tlds.inc"
};

// The URL a candidate stands for: the candidate less unbalanced brackets and a bad last char of
// its path, or "" if its domain is not a plausible one (TDLib's fix_url).
std::string_view FixUrl(std::string_view url) {
  std::string_view full_url = url;
  bool has_protocol = false;
  std::string head(url.substr(0, 10));
  for (char& c : head) c = LowerAscii(c);
  if (head.starts_with("http://") || head.starts_with("https://") || head.starts_with("ftp://") ||
      head.starts_with("tonsite://")) {
    url.remove_prefix(url.find(':') + 3);
    has_protocol = true;
  }
  size_t domain_end = std::min({url.size(), url.find('/'), url.find('?'), url.find('#')});
  std::string_view domain = url.substr(0, domain_end);
  std::string_view path = url.substr(domain_end);
  if (size_t at = domain.find('@'); at != std::string_view::npos) domain.remove_prefix(at + 1);
  if (size_t colon = domain.rfind(':'); colon != std::string_view::npos) {
    domain = domain.substr(0, colon);
  }
  if (domain.size() == 12 && (domain[0] == 't' || domain[0] == 'T')) {
    std::string lower(domain);
    for (char& c : lower) c = LowerAscii(c);
    if (lower == "teiegram.org") return {};
  }

  int balance[3] = {0, 0, 0};
  size_t path_pos = 0;
  for (; path_pos < path.size(); ++path_pos) {
    switch (path[path_pos]) {
      case '(':
        ++balance[0];
        break;
      case '[':
        ++balance[1];
        break;
      case '{':
        ++balance[2];
        break;
      case ')':
        --balance[0];
        break;
      case ']':
        --balance[1];
        break;
      case '}':
        --balance[2];
        break;
    }
    if (balance[0] < 0 || balance[1] < 0 || balance[2] < 0) break;
  }
  while (path_pos > 0 && IsBadPathEnd(path[path_pos - 1])) --path_pos;
  full_url.remove_suffix(path.size() - path_pos);

  size_t prev = 0;
  size_t part_count = 0;
  bool has_non_digit = false;
  bool is_ipv4 = true;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      size_t part_size = i - prev;
      if (part_size == 0 || part_size >= 64 || domain[i - 1] == '-') return {};
      if (is_ipv4) {
        if (part_size > 3) is_ipv4 = false;
        if (part_size == 3 &&
            (domain[prev] >= '3' ||
             (domain[prev] == '2' &&
              (domain[prev + 1] >= '6' || (domain[prev + 1] == '5' && domain[prev + 2] >= '6'))))) {
          is_ipv4 = false;
        }
        if (domain[prev] == '0' && part_size >= 2) is_ipv4 = false;
      }
      ++part_count;
      if (i != domain.size()) prev = i + 1;
    } else if (!IsDigit(static_cast<unsigned char>(domain[i]))) {
      is_ipv4 = false;
      has_non_digit = true;
    }
  }
  if (part_count == 1) return {};
  if (is_ipv4 && part_count == 4) return full_url;
  if (!has_non_digit) return {};

  std::string_view tld = domain.substr(prev);
  if (CodePointLength(tld) <= 1) return {};
  if (tld.starts_with("xn--")) {
    if (tld.size() <= 5) return {};
    for (char c : tld.substr(4)) {
      if (!IsAlphaDigit(static_cast<unsigned char>(c))) return {};
    }
  } else {
    if (tld.find('_') != std::string_view::npos || tld.find('-') != std::string_view::npos) {
      return {};
    }
    if (!has_protocol && !IsCommonTld(tld)) return {};
  }
  // No '_' in the second-level domain.
  --prev;
  while (prev-- > 0) {
    if (domain[prev] == '_') return {};
    if (domain[prev] == '.') break;
  }
  return full_url;
}

struct Found {
  EntityType type;
  Span span;
};

}  // namespace

bool IsEmailAddress(std::string_view str) {
  size_t at = str.find('@');
  if (at == std::string_view::npos) return false;
  std::string_view user = str.substr(0, at);
  std::string_view domain = str.substr(at + 1);
  if (domain.empty()) return false;

  size_t prev = 0;
  size_t user_parts = 0;
  for (size_t i = 0; i < user.size(); ++i) {
    if (user[i] == '.' || user[i] == '+') {
      if (i - prev >= 27) return false;
      ++user_parts;
      prev = i + 1;
    } else if (!IsAlphaDigitUnderscoreOrMinus(static_cast<unsigned char>(user[i]))) {
      return false;
    }
  }
  ++user_parts;
  if (user_parts >= 12) return false;
  size_t last_part_length = user.size() - prev;
  if (last_part_length == 0 || last_part_length >= 36) return false;

  std::vector<std::string_view> parts = SplitDots(domain);
  if (parts.size() <= 1 || parts.size() > 7) return false;
  std::string_view tld = parts.back();
  if (tld.size() <= 1 || tld.size() >= 9) return false;
  for (char c : tld) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  parts.pop_back();
  for (std::string_view part : parts) {
    if (part.empty() || part.size() >= 31) return false;
    for (char c : part) {
      if (!IsAlphaDigitUnderscoreOrMinus(static_cast<unsigned char>(c))) return false;
    }
    if (!IsAlphaDigit(static_cast<unsigned char>(part.front())) ||
        !IsAlphaDigit(static_cast<unsigned char>(part.back()))) {
      return false;
    }
  }
  return true;
}

bool IsCommonTld(std::string_view tld) {
  auto contains = [](std::string_view name) {
    return std::binary_search(std::begin(kCommonTlds), std::end(kCommonTlds), name);
  };
  if (std::all_of(tld.begin(), tld.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    return contains(tld);
  }
  std::string lower = Utf8ToLower(tld);
  if (lower != tld) {
    // Only the first letter changed: a capitalised word, not a domain.
    char32_t c;
    size_t first_lower = DecodeNext(lower, 0, &c);
    size_t first = DecodeNext(tld, 0, &c);
    if (std::string_view(lower).substr(first_lower) == tld.substr(first)) return false;
  }
  return contains(lower);
}

std::vector<Entity> FindEntities(std::string_view text, const FindOptions& options) {
  std::vector<Found> found;
  auto add = [&found](EntityType type, const std::vector<Span>& spans) {
    for (const Span& span : spans) found.push_back({type, span});
  };
  {
    std::vector<Span> mentions = MatchMentions(text);
    std::erase_if(mentions, [&text](const Span& span) {
      std::string_view name = text.substr(span.begin + 1, span.end - span.begin - 1);
      if (name.size() >= 4) return false;
      std::string lower(name);
      for (char& c : lower) c = LowerAscii(c);
      return lower != "gif" && lower != "nft" && lower != "pic" && lower != "ufc" && lower != "vid";
    });
    add(EntityType::kMention, mentions);
  }
  if (!options.skip_bot_commands) add(EntityType::kBotCommand, MatchBotCommands(text));
  add(EntityType::kHashtag, MatchHashtags(text));
  add(EntityType::kCashtag, MatchCashtags(text));
  {
    std::vector<Span> cards = MatchBankCardNumbers(text);
    std::erase_if(cards, [&text](const Span& span) {
      return !IsValidBankCard(text.substr(span.begin, span.end - span.begin));
    });
    add(EntityType::kBankCardNumber, cards);
  }
  add(EntityType::kUrl, MatchTgUrls(text));
  for (const Span& span : MatchUrls(text)) {
    std::string_view url = text.substr(span.begin, span.end - span.begin);
    if (IsEmailAddress(url)) {
      found.push_back({EntityType::kEmail, span});
    } else if (url.starts_with("mailto:") && IsEmailAddress(url.substr(7))) {
      found.push_back({EntityType::kEmail, {span.begin + 7, span.end}});
    } else {
      std::string_view fixed = FixUrl(url);
      if (!fixed.empty())
        found.push_back({EntityType::kUrl, {span.begin, span.begin + fixed.size()}});
    }
  }
  if (found.empty()) return {};

  // Sort by byte offsets (all found types share one priority), keep those that intersect
  // nothing before them, and turn byte offsets into UTF-16 ones.
  std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    if (a.span.begin != b.span.begin) return a.span.begin < b.span.begin;
    return a.span.end > b.span.end;
  });
  std::vector<Entity> entities;
  entities.reserve(found.size());
  size_t last_end = 0;
  size_t pos = 0;
  int32_t utf16 = 0;
  auto advance = [&](size_t to) {
    for (; pos < to; ++pos) {
      auto c = static_cast<unsigned char>(text[pos]);
      if (IsLeadByte(c)) utf16 += Utf16Units(c);
    }
  };
  for (const Found& f : found) {
    if (f.span.begin < last_end) continue;
    last_end = f.span.end;
    Entity entity;
    entity.type = f.type;
    advance(f.span.begin);
    entity.offset = utf16;
    advance(f.span.end);
    entity.length = utf16 - entity.offset;
    entities.push_back(std::move(entity));
  }
  return entities;
}

}  // namespace tgi::text
