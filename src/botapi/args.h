// Decoding of request parameters into typed values, decided once, here (spec 1.5).
//
// The reference server is lenient on purpose and clients depend on it: integers are read up to
// the first non-digit and clamped, booleans are true only for "true", "yes" and "1", and a
// missing value is the same as an empty one. Every such rule lives in this file, with table tests
// in args_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "botapi/errors.h"
#include "common/result.h"
#include "domain/world.h"
#include "http/params.h"

namespace tgi::botapi {

// td::to_integer: an optional leading '-', then digits up to the first non-digit; no trimming,
// no '+', no overflow check (the value wraps, as the reference's unsigned arithmetic does).
int64_t ParseLenientInt64(std::string_view s);
// The same, wrapped to 32 bits.
int32_t ParseLenientInt32(std::string_view s);
// Client::to_bool: lowercased and trimmed, true only for "true", "yes" and "1".
bool ParseLenientBool(std::string_view s);
// An exact int64 (optional '-', at least one digit, nothing else, no overflow), or false.
bool ParseExactInt64(std::string_view s, int64_t* out);

class Args {
 public:
  explicit Args(const http::ParamList& params) : params_(params) {}

  // The value, or "" when absent (the reference cannot tell them apart either).
  std::string_view Get(std::string_view name) const;
  // Whether the parameter was given at all (reply_parameters: present, even "", switches the
  // legacy pair off).
  bool Has(std::string_view name) const { return params_.Find(name) != nullptr; }
  // A chat given as text, as chat_id is read: "@name" a username, else a lenient int64. (For
  // values inside JSON parameters; an empty one is not checked here.)
  static domain::ChatRef ParseChatRef(std::string_view v);

  // chat_id: "" -> "chat_id is empty"; "@name" -> a username; anything else a lenient int64.
  Result<domain::ChatRef, ApiError> ChatRef(std::string_view name = "chat_id") const;
  // user_id: a lenient int64 that must be positive, else "invalid user_id specified".
  Result<UserId, ApiError> PositiveUserId(std::string_view name = "user_id") const;
  // An int32 with a default for "" and clamping to [min, max].
  int32_t Int32(std::string_view name, int32_t default_value, int32_t min, int32_t max) const;
  bool Bool(std::string_view name) const { return ParseLenientBool(Get(name)); }

 private:
  const http::ParamList& params_;
};

}  // namespace tgi::botapi
