// The request parameter decoders of src/http/params.h on their own: urlencoded text, JSON
// bodies, multipart bodies (with the Content-Type giving the boundary), Content-Encoding, and
// PercentDecode.
//
// Input: a selector byte, then for multipart the Content-Type up to the first '\n', then the body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/params.h"

namespace {

using tgi::http::ParamList;

void CheckCount(const ParamList& params) {
  size_t bytes = 0;
  for (const auto& p : params.items()) bytes += p.name.size() + p.value.size();
  FUZZ_CHECK(bytes == params.text_bytes(), "text_bytes counts every name and value");
  for (const auto& p : params.items()) {
    const std::string* found = params.Find(p.name);
    FUZZ_CHECK(found != nullptr, "every pair's name is found");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tgi::fuzz::Input in(data, size);
  const uint8_t selector = in.Byte();
  ParamList params;
  switch (selector % 5) {
    case 0: {
      std::string_view text = in.Rest();
      tgi::http::ParseUrlEncoded(text, params);
      FUZZ_CHECK(params.text_bytes() <= text.size(), "decoding never grows the text");
      break;
    }
    case 1: {
      tgi::http::ParseJsonParams(in.Rest(), params);
      break;
    }
    case 2: {
      std::string_view content_type = in.Field('\n');
      std::string_view body = in.Rest();
      int status = 0;
      bool ok = tgi::http::ParseMultipart(body, content_type, params, &status, 1024);
      FUZZ_CHECK(ok || status == 400 || status == 413 || status == 431,
                 "ParseMultipart's statuses");
      FUZZ_CHECK(params.text_bytes() <= body.size(), "the pairs come from the body");
      break;
    }
    case 3: {
      std::string_view encoding = in.Field('\n');
      std::string body(in.Rest());
      const std::string copy = body;
      std::string out;
      int status = 0;
      constexpr size_t kLimit = 256 * 1024;
      bool ok = tgi::http::DecodeContentEncoding(encoding, std::move(body), kLimit, &out, &status);
      FUZZ_CHECK(ok || status == 400 || status == 413 || status == 415,
                 "DecodeContentEncoding's statuses");
      FUZZ_CHECK(!ok || out.size() <= kLimit, "the decoded body stays within the limit");
      if (ok && (encoding.empty() || encoding == "identity" || encoding == "none"))
        FUZZ_CHECK(out == copy, "identity passes the body through");
      break;
    }
    default: {
      std::string_view text = in.Rest();
      const bool plus = selector & 0x80;
      std::string decoded = tgi::http::PercentDecode(text, plus);
      FUZZ_CHECK(decoded.size() <= text.size(), "decoding never grows the text");
      if (text.find('%') == std::string_view::npos && !plus)
        FUZZ_CHECK(decoded == text, "text without '%' is unchanged");
      break;
    }
  }
  CheckCount(params);
  return 0;
}
