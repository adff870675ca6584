#include "botapi/json_reader.h"

#include "botapi/args.h"
#include "botapi/errors.h"
#include "common/utf8.h"

namespace tgi::botapi {

std::string_view JsonTypeName(JsonType type) {
  switch (type) {
    case JsonType::kNull:
      return "Null";
    case JsonType::kNumber:
      return "Number";
    case JsonType::kBoolean:
      return "Boolean";
    case JsonType::kString:
      return "String";
    case JsonType::kArray:
      return "Array";
    case JsonType::kObject:
      return "Object";
  }
  return "Unknown";
}

// td's to_integer_safe reads leniently (td::to_integer, here ParseLenientInt*) and accepts the
// value only if printing it gives back the input; that test is kept as it is, so the two agree
// on every input by construction.
std::optional<int32_t> ParseCanonicalInt32(std::string_view s) {
  int32_t v = ParseLenientInt32(s);
  if (std::to_string(v) != s) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseCanonicalInt64(std::string_view s) {
  int64_t v = ParseLenientInt64(s);
  if (std::to_string(v) != s) return std::nullopt;
  return v;
}

// A recursive-descent parser that follows td's do_json_decode step by step, so that what it
// accepts and refuses is the reference's. Every function returns false on the first problem.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  bool ParseDocument(JsonValue* out) {
    if (!ParseValue(out, kMaxDepth)) return false;
    SkipSpace();
    return pos_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 100;  // td's DEFAULT_MAX_DEPTH

  // td's Parser::skip_whitespaces: only these four.
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n'))
      ++pos_;
  }
  bool TrySkip(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool TrySkip(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  static bool IsNumberChar(char c) {
    return c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9');
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = static_cast<char>(c | 0x20);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }
  bool ReadHex4(uint32_t* out) {
    if (s_.size() - pos_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = Hex(s_[pos_++]);
      if (d < 0) return false;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    *out = v;
    return true;
  }

  // td's json_string_decode.
  bool ParseString(std::string* out) {
    if (!TrySkip('"')) return false;
    while (true) {
      if (pos_ == s_.size()) return false;
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') {
        // Copy the run of plain bytes at once.
        size_t end = pos_;
        while (end < s_.size() && s_[end] != '"' && s_[end] != '\\') ++end;
        out->append(s_.data() + pos_, end - pos_);
        pos_ = end;
        continue;
      }
      ++pos_;
      if (pos_ == s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDFFF && s_.size() - pos_ >= 6 && s_[pos_] == '\\' &&
              s_[pos_ + 1] == 'u') {
            // td joins any two surrogates in a row, whichever comes first; anything else after
            // the first is left for the next round.
            size_t back = pos_;
            pos_ += 2;
            uint32_t next = 0;
            if (!ReadHex4(&next)) return false;
            if (next >= 0xD800 && next <= 0xDFFF) {
              cp = (((cp & 0x3FF) << 10) | (next & 0x3FF)) + 0x10000;
            } else {
              pos_ = back;
            }
          }
          utf8::Append(*out, static_cast<char32_t>(cp));
          break;
        }
        default:
          *out += e;
      }
    }
  }

  bool ParseValue(JsonValue* out, int depth_left) {
    if (depth_left < 0) return false;
    SkipSpace();
    if (pos_ == s_.size()) return false;
    char c = s_[pos_];
    switch (c) {
      case 'f':
        if (!TrySkip("false")) return false;
        out->type_ = JsonType::kBoolean;
        out->boolean_ = false;
        return true;
      case 't':
        if (!TrySkip("true")) return false;
        out->type_ = JsonType::kBoolean;
        out->boolean_ = true;
        return true;
      case 'n':
        if (!TrySkip("null")) return false;
        out->type_ = JsonType::kNull;
        return true;
      case '"':
        out->type_ = JsonType::kString;
        return ParseString(&out->text_);
      case '[': {
        ++pos_;
        out->type_ = JsonType::kArray;
        SkipSpace();
        if (TrySkip(']')) return true;
        while (true) {
          if (pos_ == s_.size()) return false;
          out->array_.emplace_back();
          if (!ParseValue(&out->array_.back(), depth_left - 1)) return false;
          SkipSpace();
          if (TrySkip(']')) return true;
          if (!TrySkip(',')) return false;
          SkipSpace();
        }
      }
      case '{': {
        ++pos_;
        out->type_ = JsonType::kObject;
        SkipSpace();
        if (TrySkip('}')) return true;
        JsonObject& o = out->object_;
        while (true) {
          if (pos_ == s_.size()) return false;
          o.keys_.emplace_back();
          if (!ParseString(&o.keys_.back())) return false;
          SkipSpace();
          if (!TrySkip(':')) return false;
          o.values_.emplace_back();
          if (!ParseValue(&o.values_.back(), depth_left - 1)) return false;
          SkipSpace();
          if (TrySkip('}')) return true;
          if (!TrySkip(',')) return false;
          SkipSpace();
        }
      }
      default:
        if (c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')) {
          size_t end = pos_;
          while (end < s_.size() && IsNumberChar(s_[end])) ++end;
          out->type_ = JsonType::kNumber;
          out->text_.assign(s_.data() + pos_, end - pos_);
          pos_ = end;
          return true;
        }
        return false;  // including a NUL byte, which td reads as the end of the text
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

std::optional<JsonValue> DecodeJson(std::string_view text) {
  JsonValue v;
  JsonParser parser(text);
  if (!parser.ParseDocument(&v)) return std::nullopt;
  return v;
}

// ---------------------------------------------------------------------------------------------
// The getters.

namespace {

JsonField WrongTypeProblem(JsonType type) {
  switch (type) {
    case JsonType::kString:
      return JsonField::kNotString;
    case JsonType::kBoolean:
      return JsonField::kNotBoolean;
    case JsonType::kArray:
      return JsonField::kNotArray;
    case JsonType::kObject:
      return JsonField::kNotObject;
    case JsonType::kNumber:
    case JsonType::kNull:
      break;
  }
  return JsonField::kNotNumberType;
}

Unexpected<std::string> Problem(JsonField problem, std::string_view name) {
  return Unexpected{JsonFieldText(problem, name)};
}

// The text an integer field is read from: a number's or a string's, nothing else.
template <class Int, std::optional<Int> (*Parse)(std::string_view)>
Result<Int, std::string> IntegerValue(const JsonValue& v, std::string_view name) {
  if (v.type() != JsonType::kNumber && v.type() != JsonType::kString)
    return Problem(JsonField::kNotNumber, name);
  std::optional<Int> n = Parse(v.text());
  if (!n) return Problem(JsonField::kNotValidNumber, name);
  return *n;
}

Result<std::string, std::string> StringValue(const JsonValue& v, std::string_view name) {
  if (v.type() != JsonType::kString && v.type() != JsonType::kNumber)
    return Problem(JsonField::kNotString, name);
  return v.text();
}

}  // namespace

const JsonValue* JsonObject::Find(std::string_view name) const {
  for (size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] == name) return &values_[i];
  return nullptr;
}

Result<bool, std::string> JsonObject::OptionalBool(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return false;
  if (v->type() != JsonType::kBoolean) return Problem(JsonField::kNotBoolean, name);
  return v->boolean();
}

Result<std::string, std::string> JsonObject::OptionalString(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return std::string();
  return StringValue(*v, name);
}

Result<std::string, std::string> JsonObject::RequiredString(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return Problem(JsonField::kMissing, name);
  return StringValue(*v, name);
}

Result<int32_t, std::string> JsonObject::OptionalInt(std::string_view name,
                                                     int32_t default_value) const {
  const JsonValue* v = Find(name);
  if (!v) return default_value;
  return IntegerValue<int32_t, ParseCanonicalInt32>(*v, name);
}

Result<int32_t, std::string> JsonObject::RequiredInt(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return Problem(JsonField::kMissing, name);
  return IntegerValue<int32_t, ParseCanonicalInt32>(*v, name);
}

Result<int64_t, std::string> JsonObject::OptionalLong(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return int64_t{0};
  return IntegerValue<int64_t, ParseCanonicalInt64>(*v, name);
}

Result<int64_t, std::string> JsonObject::RequiredLong(std::string_view name) const {
  const JsonValue* v = Find(name);
  if (!v) return Problem(JsonField::kMissing, name);
  return IntegerValue<int64_t, ParseCanonicalInt64>(*v, name);
}

Result<const JsonValue*, std::string> JsonObject::OptionalField(std::string_view name,
                                                                JsonType type) const {
  const JsonValue* v = Find(name);
  if (v && v->type() != type) return Problem(WrongTypeProblem(type), name);
  return v;
}

Result<const JsonValue*, std::string> JsonObject::RequiredField(std::string_view name,
                                                                JsonType type) const {
  const JsonValue* v = Find(name);
  if (!v) return Problem(JsonField::kMissing, name);
  if (v->type() != type) return Problem(WrongTypeProblem(type), name);
  return v;
}

}  // namespace tgi::botapi
