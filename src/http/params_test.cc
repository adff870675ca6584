#include "http/params.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

namespace tgi::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs ToPairs(const ParamList& list) {
  Pairs out;
  for (const Param& p : list.items()) out.emplace_back(p.name, p.value);
  return out;
}

Pairs Json(std::string_view body) {
  ParamList list;
  ParseJsonParams(body, list);
  return ToPairs(list);
}

TEST(ParamListTest, FindReturnsFirstExactMatch) {
  ParamList list;
  list.Add("a", "1");
  list.Add("A", "2");
  list.Add("a", "3");
  ASSERT_NE(list.Find("a"), nullptr);
  EXPECT_EQ(*list.Find("a"), "1");
  EXPECT_EQ(*list.Find("A"), "2");
  EXPECT_EQ(list.Find("b"), nullptr);
  EXPECT_EQ(list.text_bytes(), 6u);
  EXPECT_EQ(list.items().size(), 3u);
}

TEST(PercentDecodeTest, Table) {
  struct Case {
    std::string in;
    bool plus;
    std::string out;
  } cases[] = {
      {"", false, ""},
      {"abc", false, "abc"},
      {"a%20b", false, "a b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%2B", true, "+"},
      {"%e2%82%AC", false, "\xe2\x82\xac"},
      {"%", false, "%"},
      {"%4", false, "%4"},
      {"%zz", false, "%zz"},
      {"100%", true, "100%"},
      {"%00", false, std::string(1, '\0')},
      {"/bot123:AA%2Fx/getMe", false, "/bot123:AA/x/getMe"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PercentDecode(c.in, c.plus), c.out) << c.in;
  }
}

TEST(ParseUrlEncodedTest, Table) {
  struct Case {
    std::string in;
    Pairs out;
  } cases[] = {
      {"", {}},
      {"a=1", {{"a", "1"}}},
      {"a=1&b=2", {{"a", "1"}, {"b", "2"}}},
      {"a", {{"a", ""}}},
      {"a=", {{"a", ""}}},
      {"=v", {{"", "v"}}},
      {"&&a=1&&", {{"a", "1"}}},
      {"a=x+y%21", {{"a", "x y!"}}},
      {"a%3Db=c%26d", {{"a=b", "c&d"}}},
      {"a=b=c", {{"a", "b=c"}}},
      {"chat_id=-100123&chat_id=5", {{"chat_id", "-100123"}, {"chat_id", "5"}}},
  };
  for (const Case& c : cases) {
    ParamList list;
    ParseUrlEncoded(c.in, list);
    EXPECT_EQ(ToPairs(list), c.out) << c.in;
  }
}

TEST(ParseJsonParamsTest, Table) {
  struct Case {
    std::string in;
    Pairs out;
  } cases[] = {
      {"", {}},
      {"   \n", {}},
      {"{}", {}},
      {" { } ", {}},
      {R"({"chat_id":"-100123"})", {{"chat_id", "-100123"}}},
      {R"({"chat_id":-100123})", {{"chat_id", "-100123"}}},
      {R"({"creates_join_request":true})", {{"creates_join_request", "true"}}},
      {R"({"a":false})", {{"a", "false"}}},
      {R"({"name":null})", {{"name", "null"}}},
      {R"({"allowed_updates":["chat_member"]})", {{"allowed_updates", R"(["chat_member"])"}}},
      {R"({"x": [ 1 , {"a" : 2} ] , "y":{"a":1}})",
       {{"x", R"([ 1 , {"a" : 2} ])"}, {"y", R"({"a":1})"}}},
      {R"({"n":1.5e-3})", {{"n", "1.5e-3"}}},
      {R"({ "a" :  12  ,  "b"  : "c" })", {{"a", "12"}, {"b", "c"}}},
      // Anything but an object or a string gives nothing.
      {"[1,2]", {}},
      {"123", {}},
      {"true", {}},
      {"null", {}},
      {"{", {}},
      // Stop at the first problem, keep what was read.
      {R"({"chat_id":-100123,"name":})", {{"chat_id", "-100123"}}},
      {R"({"a":1,"b":2)", {{"a", "1"}, {"b", "2"}}},
      {R"({"a":1 "b":2})", {{"a", "1"}}},
      {R"({"a":1,"b":tru})", {{"a", "1"}}},
      {R"({"a":1,"b":[1,2})", {{"a", "1"}}},
      {R"({"a":1,"b":"unterminated})", {{"a", "1"}}},
      {R"({"a":1,b:2})", {{"a", "1"}}},
      {R"({"a":-})", {}},
      {R"({"a":1.})", {}},
      {R"({"a":"x\q"})", {}},
      // Trailing garbage after the object is ignored.
      {R"({"a":1} xyz)", {{"a", "1"}}},
      // A top-level string is one parameter named "content".
      {R"("abc")", {{"content", "abc"}}},
      {R"( "a\"b" )", {{"content", "a\"b"}}},
      // Escapes.
      {R"({"s":"a\"b\\c\/d\b\f\n\r\t"})", {{"s", "a\"b\\c/d\b\f\n\r\t"}}},
      {R"({"s":"\u0041\u00e9\u20AC"})", {{"s", "A\xc3\xa9\xe2\x82\xac"}}},
      {R"({"s":"\ud83d\ude00"})", {{"s", "\xf0\x9f\x98\x80"}}},
      {R"({"s":"\u0000"})", {{"s", std::string(1, '\0')}}},
      {R"({"k\u0031":1})", {{"k1", "1"}}},
      {R"({"a":1,"s":"\ud83d"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ude00"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\u12"})", {{"a", "1"}}},
      // Raw UTF-8 passes through.
      {"{\"s\":\"\xd0\xbf\xd1\x80\"}", {{"s", "\xd0\xbf\xd1\x80"}}},
      // Duplicate names are all kept.
      {R"({"name":"a","name":"b"})", {{"name", "a"}, {"name", "b"}}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Json(c.in), c.out) << c.in;
  }
}

// What a \u escape becomes: the UTF-8 of the code point, a surrogate pair joined into one; a
// surrogate that is not half of an escaped pair is a problem. Raw bytes are never checked.
TEST(ParseJsonParamsTest, UnicodeEscapesAndSurrogates) {
  struct Case {
    std::string in;
    Pairs out;
  } cases[] = {
      {R"({"s":"\u007f\u0080\u07FF\u0800"})", {{"s", "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80"}}},
      {R"({"s":"\ud7ff\uE000\uffff"})", {{"s", "\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"}}},
      {R"({"s":"\uD800\uDC00"})", {{"s", "\xf0\x90\x80\x80"}}},
      {R"({"s":"\udbff\udfff"})", {{"s", "\xf4\x8f\xbf\xbf"}}},
      {R"("\u00e9")", {{"content", "\xc3\xa9"}}},
      // A high surrogate followed by anything but an escaped low one.
      {R"({"a":1,"s":"\ud83d\u0041"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ud83d\ud83d"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ud83d\n"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ud83dx"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ud83d\ude0"})", {{"a", "1"}}},
      {R"({"a":1,"s":"\ud83d)", {{"a", "1"}}},
      // A lone low surrogate, in a value, a name, or the top-level string.
      {R"({"a":1,"s":"\udfff"})", {{"a", "1"}}},
      {R"({"a":1,"\ud800":2})", {{"a", "1"}}},
      {R"("\ud800")", {}},
      {R"("\udc00\ud800")", {}},
      // Raw bytes, even ill-formed UTF-8 (0xff, an overlong '/', an encoded surrogate), pass
      // through unchanged.
      {"{\"s\":\"\xff\xc0\xaf\xed\xa0\x80\xe2\x82\"}", {{"s", "\xff\xc0\xaf\xed\xa0\x80\xe2\x82"}}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Json(c.in), c.out) << c.in;
  }
}

TEST(ParseJsonParamsTest, DuplicateFirstWins) {
  ParamList list;
  ParseJsonParams(R"({"chat_id":-1002222222222,"name":"a","name":"b"})", list);
  ASSERT_NE(list.Find("name"), nullptr);
  EXPECT_EQ(*list.Find("name"), "a");
  EXPECT_EQ(*list.Find("chat_id"), "-1002222222222");
}

TEST(ParseJsonParamsTest, DeepNestingIsAProblemNotACrash) {
  std::string deep = R"({"a":1,"b":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_EQ(Json(deep), (Pairs{{"a", "1"}}));
  std::string ok = R"({"b":)" + std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_EQ(Json(ok).size(), 1u);
}

// ---- multipart ----

struct MultipartResult {
  bool ok;
  int status;
  Pairs params;
};

MultipartResult Multipart(std::string_view body, std::string_view content_type,
                          size_t budget = kDefaultHeaderLimit) {
  ParamList list;
  int status = 0;
  bool ok = ParseMultipart(body, content_type, list, &status, budget);
  return {ok, status, ToPairs(list)};
}

std::string TextPart(std::string_view boundary, std::string_view name, std::string_view value) {
  return "--" + std::string(boundary) + "\r\nContent-Disposition: form-data; name=\"" +
         std::string(name) + "\"\r\n\r\n" + std::string(value) + "\r\n";
}

TEST(ParseMultipartTest, TextParts) {
  std::string body = "preamble\r\n" + TextPart("XyZ", "chat_id", "-100123") +
                     TextPart("XyZ", "name", "a b+c%20\r\nline2") + "--XyZ--\r\nepilogue";
  auto r = Multipart(body, "multipart/form-data; boundary=XyZ");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.params, (Pairs{{"chat_id", "-100123"}, {"name", "a b+c%20\r\nline2"}}));
}

TEST(ParseMultipartTest, QuotedBoundaryAndUnquotedName) {
  std::string body = "--a:b c\r\nContent-Disposition: form-data; name=x\r\n\r\n1\r\n--a:b c--";
  auto r = Multipart(body, "Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a:b c\"");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.params, (Pairs{{"x", "1"}}));
}

TEST(ParseMultipartTest, FilePartIsSkipped) {
  std::string body = TextPart("b", "a", "1") +
                     "--b\r\nContent-Disposition: form-data; name=\"chat_id\"; "
                     "filename=\"c.txt\"\r\nContent-Type: text/plain\r\n\r\n-100\r\n" +
                     TextPart("b", "z", "2") + "--b--\r\n";
  auto r = Multipart(body, "multipart/form-data; boundary=b");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.params, (Pairs{{"a", "1"}, {"z", "2"}}));
}

TEST(ParseMultipartTest, UrlEncodedPart) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"ignored\"\r\n"
      "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\r\n"
      "chat_id=-1&name=a+b\r\n--b--";
  auto r = Multipart(body, "multipart/form-data; boundary=b");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.params, (Pairs{{"chat_id", "-1"}, {"name", "a b"}}));
}

TEST(ParseMultipartTest, Errors) {
  const std::string good = TextPart("b", "a", "1") + "--b--";
  struct Case {
    std::string body;
    std::string type;
    int status;
  } cases[] = {
      {good, "multipart/form-data", 400},                // No boundary.
      {good, "multipart/form-data; boundary=", 400},     // Empty boundary.
      {good, "multipart/form-data; boundary=\"b", 400},  // Unterminated quote.
      {TextPart(std::string(71, 'x'), "a", "1") + "--" + std::string(71, 'x') + "--",
       "multipart/form-data; boundary=" + std::string(71, 'x'), 400},
      {"no delimiter at all", "multipart/form-data; boundary=b", 400},
      {TextPart("b", "a", "1"), "multipart/form-data; boundary=b", 400},  // No final boundary.
      {"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
       "multipart/form-data; boundary=b", 400},  // Truncated.
      {"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n", "multipart/form-data; boundary=b",
       400},                                                              // Truncated headers.
      {"--b\r\n\r\n1\r\n--b--", "multipart/form-data; boundary=b", 400},  // Empty part headers.
      {"--b\r\nContent-Type: text/plain\r\n\r\n1\r\n--b--", "multipart/form-data; boundary=b",
       400},  // No Content-Disposition.
      {"--b\r\nContent-Disposition: form-data\r\n\r\n1\r\n--b--", "multipart/form-data; boundary=b",
       400},  // No name.
      {"--b\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--b--",
       "multipart/form-data; boundary=b", 400},              // Not form-data.
      {"--bX\r\n", "multipart/form-data; boundary=b", 400},  // Garbage after the delimiter.
  };
  for (const Case& c : cases) {
    auto r = Multipart(c.body, c.type);
    EXPECT_FALSE(r.ok) << c.body;
    EXPECT_EQ(r.status, c.status) << c.body;
  }
  // 70 bytes is still fine.
  std::string b70(70, 'y');
  auto r = Multipart(TextPart(b70, "a", "1") + "--" + b70 + "--",
                     "multipart/form-data; boundary=" + b70);
  EXPECT_TRUE(r.ok);
}

TEST(ParseMultipartTest, FileLimit) {
  auto files = [](int n) {
    std::string body;
    for (int i = 0; i < n; ++i) {
      body += "--b\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
              "\"; filename=\"f\"\r\n\r\ndata\r\n";
    }
    return body + "--b--";
  };
  EXPECT_TRUE(Multipart(files(50), "multipart/form-data; boundary=b").ok);
  auto r = Multipart(files(51), "multipart/form-data; boundary=b");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, 413);
}

TEST(ParseMultipartTest, PartHeadersCountTowardsHeaderLimit) {
  std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " + std::string(1000, 'p') +
      "\r\n\r\n1\r\n--b--";
  EXPECT_TRUE(Multipart(body, "multipart/form-data; boundary=b", 2000).ok);
  auto r = Multipart(body, "multipart/form-data; boundary=b", 500);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, 431);
}

// ---- content encoding ----

std::string Compress(std::string_view data, int window_bits) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Decoded {
  bool ok;
  int status;
  std::string out;
};

Decoded Decode(std::string_view encoding, std::string body, size_t limit = 1 << 20) {
  Decoded d{false, 0, {}};
  d.ok = DecodeContentEncoding(encoding, std::move(body), limit, &d.out, &d.status);
  return d;
}

TEST(DecodeContentEncodingTest, Identity) {
  for (std::string_view enc : {"", "identity", "none", " Identity "}) {
    Decoded d = Decode(enc, "abc");
    EXPECT_TRUE(d.ok) << enc;
    EXPECT_EQ(d.out, "abc");
  }
}

TEST(DecodeContentEncodingTest, Formats) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "chat_id=" + std::to_string(i) + "&";
  struct Case {
    std::string encoding;
    int window_bits;
  } cases[] = {{"gzip", 16 + MAX_WBITS},
               {"GZIP", 16 + MAX_WBITS},
               {"deflate", MAX_WBITS},
               {"deflate", -MAX_WBITS}};
  for (const Case& c : cases) {
    Decoded d = Decode(c.encoding, Compress(text, c.window_bits));
    EXPECT_TRUE(d.ok) << c.encoding << " " << c.window_bits;
    EXPECT_EQ(d.out, text);
  }
  // Two gzip members back to back.
  Decoded d = Decode("gzip", Compress("ab", 16 + MAX_WBITS) + Compress("cd", 16 + MAX_WBITS));
  EXPECT_TRUE(d.ok);
  EXPECT_EQ(d.out, "abcd");
  // An empty body is fine.
  EXPECT_TRUE(Decode("gzip", "").ok);
}

TEST(DecodeContentEncodingTest, Errors) {
  Decoded unknown = Decode("br", "abc");
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.status, 415);

  std::string zeros(10 << 20, '\0');
  Decoded bomb = Decode("gzip", Compress(zeros, 16 + MAX_WBITS), 1 << 20);
  EXPECT_FALSE(bomb.ok);
  EXPECT_EQ(bomb.status, 413);
  Decoded exact = Decode("gzip", Compress(std::string(1000, 'a'), 16 + MAX_WBITS), 1000);
  EXPECT_TRUE(exact.ok);
  Decoded over = Decode("gzip", Compress(std::string(1001, 'a'), 16 + MAX_WBITS), 1000);
  EXPECT_EQ(over.status, 413);

  Decoded corrupt = Decode("gzip", "definitely not gzip");
  EXPECT_FALSE(corrupt.ok);
  EXPECT_EQ(corrupt.status, 400);
  std::string gz = Compress(std::string(5000, 'x') + "tail", 16 + MAX_WBITS);
  Decoded truncated = Decode("gzip", gz.substr(0, gz.size() / 2));
  EXPECT_FALSE(truncated.ok);
  EXPECT_EQ(truncated.status, 400);
  Decoded bad_deflate = Decode("deflate", std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(bad_deflate.status, 400);
}

TEST(ParsersTest, RandomInputNeverCrashes) {
  std::mt19937 rng(12345);
  const std::string alphabet = "{}[]\":,\\u0123456789abcdefnrtl-+.eE \r\n\t%=&;-\xff\xd8";
  for (int i = 0; i < 20000; ++i) {
    std::string input(rng() % 64, ' ');
    for (char& c : input) c = alphabet[rng() % alphabet.size()];
    if (i % 3 == 0) input = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n" + input;
    ParamList list;
    int status = 0;
    ParseJsonParams(input, list);
    ParseUrlEncoded(input, list);
    ParseMultipart(input, "multipart/form-data; boundary=b", list, &status);
    std::string out;
    DecodeContentEncoding(i % 2 ? "gzip" : "deflate", input, 1000, &out, &status);
    PercentDecode(input, true);
  }
}

}  // namespace
}  // namespace tgi::http
