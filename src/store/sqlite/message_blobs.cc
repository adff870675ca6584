#include "store/sqlite/message_blobs.h"

#include <cstdint>
#include <limits>

namespace tgi::store::sqlite_internal {
namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutSint(int64_t v, std::string* out) {
  // Zigzag: the sign moves to the lowest bit, so small magnitudes stay small.
  const uint64_t u = static_cast<uint64_t>(v);
  PutVarint((u << 1) ^ (v < 0 ? ~uint64_t{0} : 0), out);
}

void PutBytes(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

// Starts a non-empty list: the version and the count.
void PutHeader(size_t count, std::string* out) {
  out->push_back(static_cast<char>(kMessageBlobVersion));
  PutVarint(count, out);
}

// Reads a blob front to back; the first error stops it and names the byte where it happened.
class Reader {
 public:
  explicit Reader(std::string_view blob) : blob_(blob) {}

  bool ok() const { return error_.empty(); }
  bool at_end() const { return pos_ == blob_.size(); }
  size_t remaining() const { return blob_.size() - pos_; }
  size_t position() const { return pos_; }

  Status status() const {
    if (ok()) return {};
    return Fail(error_);
  }

  // Records the first error, at byte `at` (default: where the reader is); returns false.
  bool Fails(const std::string& what) { return FailsAt(pos_, what); }
  bool FailsAt(size_t at, const std::string& what) {
    if (ok()) error_ = what + " at byte " + std::to_string(at);
    return false;
  }

  bool Byte(unsigned char* v) {
    if (!ok()) return false;
    if (at_end()) return Fails("truncated");
    *v = static_cast<unsigned char>(blob_[pos_++]);
    return true;
  }

  bool Varint(uint64_t* v) {
    if (!ok()) return false;
    const size_t start = pos_;
    uint64_t result = 0;
    for (int shift = 0;; shift += 7) {
      if (at_end()) return Fails("truncated");
      const auto b = static_cast<unsigned char>(blob_[pos_]);
      // The 10th byte holds bit 63 only.
      if (shift == 63 && b > 1) return Fails("varint too long");
      ++pos_;
      result |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        // Minimal: a last byte of 0 is only allowed when it is the only one.
        if (b == 0 && pos_ - start > 1) return FailsAt(start, "overlong varint");
        *v = result;
        return true;
      }
    }
  }

  bool Sint(int64_t* v) {
    uint64_t u = 0;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }

  bool Int32(int32_t* v) {
    const size_t start = pos_;
    int64_t wide = 0;
    if (!Sint(&wide)) return false;
    if (wide < std::numeric_limits<int32_t>::min() || wide > std::numeric_limits<int32_t>::max()) {
      return FailsAt(start, "number out of the 32-bit range");
    }
    *v = static_cast<int32_t>(wide);
    return true;
  }

  bool Bytes(std::string* s) {
    uint64_t n = 0;
    if (!Varint(&n)) return false;
    if (n > remaining()) return Fails("truncated string");
    s->assign(blob_.substr(pos_, n));
    pos_ += n;
    return true;
  }

  // The version and the count of a non-empty list. Each item takes at least `min_item` bytes,
  // so a count the rest of the blob cannot hold is refused before anything is allocated for it.
  bool Header(size_t min_item, size_t* count) {
    unsigned char version = 0;
    if (!Byte(&version)) return false;
    if (version != kMessageBlobVersion) {
      return FailsAt(0, "unknown format version " + std::to_string(version));
    }
    uint64_t n = 0;
    const size_t count_at = pos_;
    if (!Varint(&n)) return false;
    if (n == 0) return FailsAt(count_at, "count of 0 (an empty list is an empty blob)");
    if (n > remaining() / min_item) {
      return FailsAt(count_at, "count of " + std::to_string(n) + " more than the blob can hold");
    }
    *count = static_cast<size_t>(n);
    return true;
  }

  Status Finish() {
    if (ok() && !at_end()) Fails("unexpected bytes after the last item");
    return status();
  }

 private:
  std::string_view blob_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Status EncodeEntities(const std::vector<text::Entity>& entities, std::string* out) {
  out->clear();
  if (entities.empty()) return {};
  PutHeader(entities.size(), out);
  for (const text::Entity& e : entities) {
    const auto type = static_cast<unsigned>(e.type);
    if (type >= static_cast<unsigned>(text::EntityType::kCount)) {
      return Fail("unknown entity type " + std::to_string(type));
    }
    out->push_back(static_cast<char>(type));
    PutSint(e.offset, out);
    PutSint(e.length, out);
    PutBytes(e.argument, out);
    PutSint(e.user_id, out);
    PutSint(e.unix_time, out);
  }
  return {};
}

void EncodeStrings(const std::vector<std::string>& strings, std::string* out) {
  out->clear();
  if (strings.empty()) return;
  PutHeader(strings.size(), out);
  for (const std::string& s : strings) PutBytes(s, out);
}

void EncodeUserIds(const std::vector<UserId>& users, std::string* out) {
  out->clear();
  if (users.empty()) return;
  PutHeader(users.size(), out);
  for (UserId u : users) PutSint(u.value, out);
}

Status DecodeEntities(std::string_view blob, std::vector<text::Entity>* out) {
  out->clear();
  if (blob.empty()) return {};
  Reader r(blob);
  size_t count = 0;
  if (!r.Header(/*min_item=*/6, &count)) return r.status();
  out->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    text::Entity& e = out->emplace_back();
    unsigned char type = 0;
    const size_t type_at = r.position();
    if (!r.Byte(&type)) break;
    if (type >= static_cast<unsigned>(text::EntityType::kCount)) {
      r.FailsAt(type_at, "unknown entity type " + std::to_string(type));
      break;
    }
    e.type = static_cast<text::EntityType>(type);
    if (!r.Int32(&e.offset) || !r.Int32(&e.length) || !r.Bytes(&e.argument) ||
        !r.Sint(&e.user_id) || !r.Sint(&e.unix_time)) {
      break;
    }
  }
  return r.Finish();
}

Status DecodeStrings(std::string_view blob, std::vector<std::string>* out) {
  out->clear();
  if (blob.empty()) return {};
  Reader r(blob);
  size_t count = 0;
  if (!r.Header(/*min_item=*/1, &count)) return r.status();
  out->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (!r.Bytes(&out->emplace_back())) break;
  }
  return r.Finish();
}

Status DecodeUserIds(std::string_view blob, std::vector<UserId>* out) {
  out->clear();
  if (blob.empty()) return {};
  Reader r(blob);
  size_t count = 0;
  if (!r.Header(/*min_item=*/1, &count)) return r.status();
  out->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    int64_t id = 0;
    if (!r.Sint(&id)) break;
    out->push_back(UserId(id));
  }
  return r.Finish();
}

}  // namespace tgi::store::sqlite_internal
