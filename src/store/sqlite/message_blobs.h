// Internal to tginvite_store_sqlite: the compact encodings of a Message's lists, stored in the
// BLOB columns entities, callback_data and users of message_versions (migration 0005).
//
// Format 1. An empty list is an empty blob (zero bytes). A non-empty list is
//   byte 0   the format version, 1
//   varint   the number of items, at least 1
//   items    one after the other, as below, and nothing after the last
// where
//   varint   an unsigned integer in LEB128: little-endian groups of 7 bits, the least
//            significant first, each byte's high bit set when another byte follows; at most 10
//            bytes, and minimal (a last byte of 0 only when it is the only byte)
//   sint     a signed integer n as the varint of its zigzag form (n << 1) ^ (n >> 63), so that
//            0, -1, 1, -2, ... take one byte each up to 63 in magnitude
//   bytes    a varint length, then that many bytes
// Items:
//   entities (text::Entity)       byte type (text::EntityType, below kCount), sint offset,
//                                 sint length, bytes argument, sint user_id, sint unix_time
//   callback_data (std::string)   bytes
//   users (UserId)                sint
// Decoding is strict: another version, a count of 0, a truncated or overlong item, a number out
// of its field's range, an unknown entity type or bytes after the last item are errors, so a
// blob decodes only if it is exactly what the encoder would have written for what it decodes to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "text/formatted_text.h"

namespace tgi::store::sqlite_internal {

inline constexpr unsigned char kMessageBlobVersion = 1;

// Replace *out with the encoding of the list. EncodeEntities fails, leaving *out unspecified,
// on an entity type it cannot store (not below text::EntityType::kCount).
Status EncodeEntities(const std::vector<text::Entity>& entities, std::string* out);
void EncodeStrings(const std::vector<std::string>& strings, std::string* out);
void EncodeUserIds(const std::vector<UserId>& users, std::string* out);

// Replace *out with the list `blob` encodes, or fail with what is wrong and at which byte (e.g.
// "truncated at byte 7"), leaving *out unspecified.
Status DecodeEntities(std::string_view blob, std::vector<text::Entity>* out);
Status DecodeStrings(std::string_view blob, std::vector<std::string>* out);
Status DecodeUserIds(std::string_view blob, std::vector<UserId>* out);

}  // namespace tgi::store::sqlite_internal
