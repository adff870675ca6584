// JSON as the reference server reads its JSON-valued parameters (reply_markup, entities,
// reply_parameters, link_preview_options, message_ids): td's json_decode and the field getters of
// td::JsonObject (tdutils/td/utils/JsonBuilder.cpp), with their quirks, because clients meet them:
//
// - A number keeps the text it was written with. A token is any run of "-+.0123456789eE" that
//   starts with one of "-+.0123456789", so "+5", ".5" and "1-2" are numbers here (a strict parser
//   refuses the whole document). Where a string is expected a number is accepted and read as that
//   text ("1.50" stays "1.50"); where an integer is expected, the number's text or a string must
//   be the integer's canonical decimal form (ParseCanonicalInt32/64).
// - Strings are bytes: no UTF-8 check, raw control bytes accepted, "\x" for any other x is x,
//   "\uXXXX" with surrogates joined as td joins them (any two surrogates in a row) and a lone one
//   written in its 3-byte form. Checking the text is the caller's business, as in TDLib.
// - Objects keep every member in order, duplicates included; a lookup finds the first.
// - `null` is a value of its own type: a field holding null is present, and of the wrong type for
//   every getter ("Field "x" must be of type String").
// - At most 100 levels of nesting below the top value; deeper fails the parse.
//
// Errors of the getters are TDLib's texts (errors.h, JsonFieldText), still in TDLib's case; the
// caller wraps them ("Can't parse inline keyboard button: ...") and makes the ApiError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace tgi::botapi {

// The types of td::JsonValue.
enum class JsonType : uint8_t { kNull, kNumber, kBoolean, kString, kArray, kObject };

// The name td uses in "must be of type X": Null, Number, Boolean, String, Array, Object.
std::string_view JsonTypeName(JsonType type);

class JsonValue;

// An object's members in the order written.
class JsonObject {
 public:
  size_t size() const { return keys_.size(); }
  // The first member named `name`, or nullptr.
  const JsonValue* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  // td::JsonObject's getters. Optional ones give the default when the field is absent; a present
  // field of the wrong type is an error (null included). Strings accept a number (its text);
  // integers accept a number or a string holding the canonical decimal form.
  Result<bool, std::string> OptionalBool(std::string_view name) const;           // default false
  Result<std::string, std::string> OptionalString(std::string_view name) const;  // default ""
  Result<std::string, std::string> RequiredString(std::string_view name) const;
  Result<int32_t, std::string> OptionalInt(std::string_view name, int32_t default_value = 0) const;
  Result<int32_t, std::string> RequiredInt(std::string_view name) const;
  Result<int64_t, std::string> OptionalLong(std::string_view name) const;  // default 0
  Result<int64_t, std::string> RequiredLong(std::string_view name) const;
  // td's extract_optional_field / extract_required_field with a type: the field's value, which
  // must be of `type` (nullptr when an optional field is absent).
  Result<const JsonValue*, std::string> OptionalField(std::string_view name, JsonType type) const;
  Result<const JsonValue*, std::string> RequiredField(std::string_view name, JsonType type) const;

 private:
  friend class JsonParser;
  std::vector<std::string> keys_;
  std::vector<JsonValue> values_;
};

class JsonValue {
 public:
  JsonType type() const { return type_; }
  // False unless type() == kBoolean.
  bool boolean() const { return boolean_; }
  // kString: the decoded bytes; kNumber: the token as written. Empty for other types.
  const std::string& text() const { return text_; }
  // Empty unless type() == kArray.
  const std::vector<JsonValue>& array() const { return array_; }
  // Empty unless type() == kObject.
  const JsonObject& object() const { return object_; }

 private:
  friend class JsonParser;
  JsonType type_ = JsonType::kNull;
  bool boolean_ = false;
  std::string text_;
  std::vector<JsonValue> array_;
  JsonObject object_;
};

// td's json_decode: the value, or nullopt if `text` is not JSON by td's rules (the reference
// answers every such failure with one fixed text per parameter, so no reason is kept).
std::optional<JsonValue> DecodeJson(std::string_view text);

// td::to_integer_safe: `s` must be exactly the decimal form of a value of the type (an optional
// '-', no '+', no leading zeros, no "-0", no spaces, in range).
std::optional<int32_t> ParseCanonicalInt32(std::string_view s);
std::optional<int64_t> ParseCanonicalInt64(std::string_view s);

}  // namespace tgi::botapi
