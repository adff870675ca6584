#include "http/params.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "common/ascii.h"
#include "common/utf8.h"

namespace tgi::http {

void ParamList::Add(std::string name, std::string value) {
  text_bytes_ += name.size() + value.size();
  items_.push_back(Param{std::move(name), std::move(value)});
}

const std::string* ParamList::Find(std::string_view name) const {
  for (const Param& p : items_) {
    if (p.name == name) return &p.value;
  }
  return nullptr;
}

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii::EqualsIgnoringCase(s.substr(0, prefix.size()), prefix);
}

// A small JSON scanner over a string_view. Every Parse/Skip function returns false on the first
// problem; the position is then meaningless.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }
  size_t pos() const { return pos_; }
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // REQUIRES: Peek() == '"'. Unescapes into *out.
  bool ParseString(std::string* out) {
    ++pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      char e = text_[pos_++];
      char plain = 0;
      switch (e) {
        case '"':
          plain = '"';
          break;
        case '\\':
          plain = '\\';
          break;
        case '/':
          plain = '/';
          break;
        case 'b':
          plain = '\b';
          break;
        case 'f':
          plain = '\f';
          break;
        case 'n':
          plain = '\n';
          break;
        case 'r':
          plain = '\r';
          break;
        case 't':
          plain = '\t';
          break;
        case 'u': {
          std::optional<uint32_t> cp = ParseHex4();
          if (!cp) return false;
          uint32_t code = *cp;
          if (code >= 0xD800 && code <= 0xDBFF) {
            // A high surrogate must be followed by an escaped low surrogate.
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
              return false;
            }
            pos_ += 2;
            std::optional<uint32_t> low = ParseHex4();
            if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
            code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
          } else if (code >= 0xDC00 && code <= 0xDFFF) {
            return false;  // A lone low surrogate.
          }
          if (out) utf8::Append(*out, code);
          continue;
        }
        default:
          return false;
      }
      if (out) out->push_back(plain);
    }
    return false;  // Unterminated.
  }

  // Skips one JSON value of any kind, checking its syntax.
  bool SkipValue(int depth) {
    if (depth > kMaxJsonDepth || AtEnd()) return false;
    char c = Peek();
    if (c == '"') return ParseString(nullptr);
    if (c == '{') return SkipObject(depth);
    if (c == '[') return SkipArray(depth);
    if (c == 't') return ConsumeWord("true");
    if (c == 'f') return ConsumeWord("false");
    if (c == 'n') return ConsumeWord("null");
    return SkipNumber();
  }

 private:
  std::optional<uint32_t> ParseHex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(text_[pos_ + i]);
      if (h < 0) return std::nullopt;
      v = v * 16 + static_cast<uint32_t>(h);
    }
    pos_ += 4;
    return v;
  }

  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool SkipDigits() {
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool SkipNumber() {
    Consume('-');
    if (!SkipDigits()) return false;
    if (Consume('.') && !SkipDigits()) return false;
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!Consume('+')) Consume('-');
      if (!SkipDigits()) return false;
    }
    return true;
  }

  bool SkipObject(int depth) {
    ++pos_;  // '{'
    SkipSpace();
    if (Consume('}')) return true;
    while (true) {
      SkipSpace();
      if (AtEnd() || Peek() != '"' || !ParseString(nullptr)) return false;
      SkipSpace();
      if (!Consume(':')) return false;
      SkipSpace();
      if (!SkipValue(depth + 1)) return false;
      SkipSpace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
    }
  }

  bool SkipArray(int depth) {
    ++pos_;  // '['
    SkipSpace();
    if (Consume(']')) return true;
    while (true) {
      SkipSpace();
      if (!SkipValue(depth + 1)) return false;
      SkipSpace();
      if (Consume(']')) return true;
      if (!Consume(',')) return false;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string PercentDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void ParseUrlEncoded(std::string_view text, ParamList& out) {
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view piece = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      out.Add(PercentDecode(piece, true), std::string());
    } else {
      out.Add(PercentDecode(piece.substr(0, eq), true), PercentDecode(piece.substr(eq + 1), true));
    }
  }
}

void ParseJsonParams(std::string_view body, ParamList& out) {
  JsonScanner scan(body);
  scan.SkipSpace();
  if (scan.AtEnd()) return;
  if (scan.Peek() == '"') {
    std::string content;
    if (scan.ParseString(&content)) out.Add("content", std::move(content));
    return;
  }
  if (!scan.Consume('{')) return;
  scan.SkipSpace();
  if (scan.Consume('}')) return;
  while (true) {
    scan.SkipSpace();
    std::string name;
    if (scan.AtEnd() || scan.Peek() != '"' || !scan.ParseString(&name)) return;
    scan.SkipSpace();
    if (!scan.Consume(':')) return;
    scan.SkipSpace();
    if (scan.AtEnd()) return;
    std::string value;
    if (scan.Peek() == '"') {
      if (!scan.ParseString(&value)) return;
    } else {
      size_t start = scan.pos();
      if (!scan.SkipValue(1)) return;
      value.assign(body.substr(start, scan.pos() - start));
    }
    out.Add(std::move(name), std::move(value));
    scan.SkipSpace();
    if (!scan.Consume(',')) return;  // '}' ends the object; anything else is a problem.
  }
}

namespace {

// Splits "type; a=b; c=\"d\"" parameters. Calls `fn(lowercased_key, value)` for each parameter
// after the first ';'. Returns false on a malformed quoted string.
template <typename Fn>
bool ForEachHeaderParam(std::string_view value, Fn fn) {
  size_t pos = value.find(';');
  while (pos != std::string_view::npos && pos < value.size()) {
    ++pos;  // Past ';'.
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    size_t key_start = pos;
    while (pos < value.size() && value[pos] != '=' && value[pos] != ';') ++pos;
    std::string key = ascii::Lower(ascii::Trim(value.substr(key_start, pos - key_start)));
    std::string val;
    if (pos < value.size() && value[pos] == '=') {
      ++pos;
      while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
      if (pos < value.size() && value[pos] == '"') {
        ++pos;
        bool closed = false;
        while (pos < value.size()) {
          char c = value[pos++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && pos < value.size()) c = value[pos++];
          val.push_back(c);
        }
        if (!closed) return false;
        while (pos < value.size() && value[pos] != ';') ++pos;
      } else {
        size_t v_start = pos;
        while (pos < value.size() && value[pos] != ';') ++pos;
        val = std::string(ascii::Trim(value.substr(v_start, pos - v_start)));
      }
    }
    if (!key.empty()) fn(key, std::move(val));
    if (pos >= value.size()) break;
  }
  return true;
}

}  // namespace

bool ParseMultipart(std::string_view body, std::string_view content_type, ParamList& out,
                    int* status, size_t header_budget) {
  auto fail = [status](int code) {
    *status = code;
    return false;
  };
  std::optional<std::string> boundary;
  if (!ForEachHeaderParam(content_type, [&](const std::string& key, std::string value) {
        if (key == "boundary" && !boundary) boundary = std::move(value);
      })) {
    return fail(400);
  }
  if (!boundary || boundary->empty() || boundary->size() > 70) return fail(400);

  const std::string delimiter = "--" + *boundary;
  const std::string inner_delimiter = "\r\n" + delimiter;
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    size_t first = body.find(inner_delimiter);
    if (first == std::string_view::npos) return fail(400);
    pos = first + inner_delimiter.size();
  }

  size_t header_bytes = 0;
  int files = 0;
  while (true) {
    if (body.substr(pos, 2) == "--") return true;  // Close delimiter; the epilogue is ignored.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return fail(400);
    pos += 2;
    if (body.substr(pos, 2) == "\r\n") return fail(400);  // Empty part headers.
    size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) {
      return fail(body.size() - pos > header_budget ? 431 : 400);
    }
    std::string_view headers = body.substr(pos, headers_end - pos);
    header_bytes += headers.size() + 4;
    if (header_bytes > header_budget) return fail(431);
    pos = headers_end + 4;

    std::optional<std::string> name;
    bool is_file = false;
    bool is_urlencoded = false;
    bool has_disposition = false;
    while (!headers.empty()) {
      size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) return fail(400);
      std::string_view field = ascii::Trim(line.substr(0, colon));
      std::string_view value = ascii::Trim(line.substr(colon + 1));
      if (ascii::EqualsIgnoringCase(field, "content-disposition")) {
        size_t semi = value.find(';');
        if (!ascii::EqualsIgnoringCase(ascii::Trim(value.substr(0, semi)), "form-data"))
          return fail(400);
        has_disposition = true;
        bool ok = ForEachHeaderParam(value, [&](const std::string& key, std::string v) {
          if (key == "name" && !name) name = std::move(v);
          if (key == "filename" || key == "filename*") is_file = true;
        });
        if (!ok) return fail(400);
      } else if (ascii::EqualsIgnoringCase(field, "content-type")) {
        is_urlencoded = IStartsWith(value, "application/x-www-form-urlencoded");
      }
    }
    if (!has_disposition || !name) return fail(400);

    size_t end = body.find(inner_delimiter, pos);
    if (end == std::string_view::npos) return fail(400);  // Truncated.
    std::string_view content = body.substr(pos, end - pos);
    pos = end + inner_delimiter.size();

    if (is_file) {
      if (++files > kMaxFiles) return fail(413);
    } else if (is_urlencoded) {
      ParseUrlEncoded(content, out);
    } else {
      out.Add(std::move(*name), std::string(content));
    }
  }
}

bool DecodeContentEncoding(std::string_view encoding, std::string body, size_t limit,
                           std::string* out, int* status) {
  std::string enc = ascii::Lower(ascii::Trim(encoding));
  if (enc.empty() || enc == "identity" || enc == "none") {
    if (body.size() > limit) {
      *status = 413;
      return false;
    }
    *out = std::move(body);
    return true;
  }
  int window_bits;
  if (enc == "gzip" || enc == "x-gzip") {
    window_bits = 16 + MAX_WBITS;
  } else if (enc == "deflate") {
    // RFC 9110 says zlib-wrapped, but some clients send raw deflate: look at the zlib header.
    bool zlib_wrapped =
        body.size() >= 2 && (static_cast<uint8_t>(body[0]) & 0x0F) == 8 &&
        ((static_cast<uint8_t>(body[0]) << 8) | static_cast<uint8_t>(body[1])) % 31 == 0;
    window_bits = zlib_wrapped ? MAX_WBITS : -MAX_WBITS;
  } else {
    *status = 415;
    return false;
  }
  out->clear();
  if (body.empty()) return true;

  z_stream zs{};
  if (inflateInit2(&zs, window_bits) != Z_OK) {
    *status = 400;
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(body.data());
  zs.avail_in = static_cast<uInt>(std::min<size_t>(body.size(), UINT32_MAX));
  size_t in_left = body.size() - zs.avail_in;
  constexpr size_t kChunk = 64 * 1024;
  int result = Z_OK;
  int code = 0;
  while (true) {
    size_t old_size = out->size();
    // One byte past the limit tells "over".
    size_t room = limit - old_size >= kChunk ? kChunk : limit - old_size + 1;
    out->resize(old_size + room);
    zs.next_out = reinterpret_cast<Bytef*>(out->data() + old_size);
    zs.avail_out = static_cast<uInt>(room);
    result = inflate(&zs, Z_NO_FLUSH);
    out->resize(old_size + room - zs.avail_out);
    if (out->size() > limit) {
      code = 413;
      break;
    }
    if (result == Z_STREAM_END) {
      if (zs.avail_in == 0 && in_left > 0) {
        size_t n = std::min<size_t>(in_left, UINT32_MAX);
        zs.avail_in = static_cast<uInt>(n);
        in_left -= n;
      }
      // Concatenated gzip members: keep going; any other trailing bytes are ignored.
      if (window_bits > MAX_WBITS && zs.avail_in >= 2 && zs.next_in[0] == 0x1f &&
          zs.next_in[1] == 0x8b) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (result != Z_OK && result != Z_BUF_ERROR) {
      code = 400;
      break;
    }
    if (zs.avail_in == 0) {
      if (in_left == 0) {
        if (zs.avail_out != 0) {  // All input used, output not full, yet no stream end.
          code = 400;
          break;
        }
        continue;  // The output was full; flush more.
      }
      size_t n = std::min<size_t>(in_left, UINT32_MAX);
      zs.avail_in = static_cast<uInt>(n);
      in_left -= n;
    } else if (result == Z_BUF_ERROR && zs.avail_out != 0) {
      code = 400;  // No progress possible.
      break;
    }
  }
  inflateEnd(&zs);
  if (code != 0) {
    *status = code;
    out->clear();
    return false;
  }
  return true;
}

}  // namespace tgi::http
