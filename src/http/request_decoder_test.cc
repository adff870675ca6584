// The request decisions without sockets: every status DecideHead, StatusForRefusedVersion and
// DecodeRequest can give, and what the Request holds. server_test.cc checks the same over TCP.
#include "http/request_decoder.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <limits>
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

RequestHead Head(std::string_view method, std::string_view target,
                 std::vector<Header> headers = {}) {
  RequestHead head;
  head.method = method;
  head.target = target;
  head.headers = std::move(headers);
  return head;
}

// A POST with that Content-Length and no other framing.
RequestHead Post(std::string_view target, uint64_t content_length,
                 std::vector<Header> headers = {}) {
  RequestHead head = Head("POST", target, std::move(headers));
  head.content_length = content_length;
  return head;
}

RequestHead Chunked(std::vector<Header> headers) {
  RequestHead head = Head("POST", "/x", std::move(headers));
  head.chunked = true;
  return head;
}

int Status(const RequestHead& head, const ServerOptions& options = {}) {
  return DecideHead(head, options).status;
}

// ---- DecideHead ----

TEST(DecideHeadTest, GetAndPostGoOn) {
  HeadDecision d = DecideHead(Head("GET", "/x"), {});
  EXPECT_EQ(d.status, 0);
  EXPECT_FALSE(d.read_body);
  EXPECT_FALSE(d.send_continue);

  d = DecideHead(Post("/x", 3), {});
  EXPECT_EQ(d.status, 0);
  EXPECT_TRUE(d.read_body);
  EXPECT_FALSE(d.send_continue);

  d = DecideHead(Post("/x", 0), {});  // no body to read
  EXPECT_EQ(d.status, 0);
  EXPECT_FALSE(d.read_body);

  d = DecideHead(Chunked({{"transfer-encoding", "chunked"}}), {});
  EXPECT_EQ(d.status, 0);
  EXPECT_TRUE(d.read_body);

  RequestHead http10 = Head("GET", "/x");
  http10.version = 10;
  EXPECT_EQ(Status(http10), 0);
  RequestHead get_with_body = Head("GET", "/x");  // a GET's body is read too
  get_with_body.content_length = 7;
  EXPECT_TRUE(DecideHead(get_with_body, {}).read_body);
}

TEST(DecideHeadTest, OtherVerbsAre501) {
  for (std::string_view verb :
       {"PUT", "HEAD", "DELETE", "OPTIONS", "PATCH", "CONNECT", "get", "Post", "GETS", ""}) {
    EXPECT_EQ(Status(Head(verb, "/x")), 501) << verb;
  }
}

TEST(DecideHeadTest, ExtraVerbsOnlyUnderTheirPrefix) {
  ServerOptions options;
  options.extra_verbs = {{"PUT", "/control/"}, {"DELETE", "/control/"}};
  EXPECT_EQ(Status(Head("PUT", "/control/v1/x"), options), 0);
  EXPECT_EQ(Status(Head("DELETE", "/control/"), options), 0);
  EXPECT_EQ(Status(Head("PUT", "/bot1:x/getMe"), options), 501);
  EXPECT_EQ(Status(Head("PUT", "/control"), options), 501);
  EXPECT_EQ(Status(Head("PUT", "http://h/control/x"), options), 501);  // the raw target
  EXPECT_EQ(Status(Head("put", "/control/x"), options), 501);
  EXPECT_EQ(Status(Head("PATCH", "/control/x"), options), 501);
  EXPECT_EQ(Status(Head("GET", "/anything"), options), 0);
}

TEST(DecideHeadTest, VersionsOtherThan10And11Are505) {
  for (unsigned version : {0u, 9u, 12u, 20u, 30u}) {
    RequestHead head = Head("GET", "/x");
    head.version = version;
    EXPECT_EQ(Status(head), 505) << version;
    head.method = "PUT";  // the verb is checked first
    EXPECT_EQ(Status(head), 501) << version;
  }
}

TEST(DecideHeadTest, TransferEncodingOtherThanChunkedIs501) {
  EXPECT_EQ(Status(Head("POST", "/x", {{"transfer-encoding", "gzip"}})), 501);
  EXPECT_EQ(Status(Chunked({{"transfer-encoding", "gzip, chunked"}})), 501);
  EXPECT_EQ(Status(Head("POST", "/x", {{"transfer-encoding", ""}})), 501);
  // The first Transfer-Encoding header decides.
  EXPECT_EQ(Status(Chunked({{"transfer-encoding", "gzip"}, {"transfer-encoding", "chunked"}})),
            501);
  HeadDecision d = DecideHead(Chunked({{"transfer-encoding", " Chunked\t"}}), {});
  EXPECT_EQ(d.status, 0);
  EXPECT_TRUE(d.read_body);
  // The version is checked first.
  RequestHead head = Head("POST", "/x", {{"transfer-encoding", "gzip"}});
  head.version = 12;
  EXPECT_EQ(Status(head), 505);
}

TEST(DecideHeadTest, ContentLengthOfFFFFFFFFOrMoreIs413) {
  EXPECT_EQ(Status(Post("/x", 0xFFFFFFFFull)), 413);
  EXPECT_EQ(Status(Post("/x", std::numeric_limits<uint64_t>::max())), 413);
  HeadDecision d = DecideHead(Post("/x", 0xFFFFFFFEull), {});
  EXPECT_EQ(d.status, 0);
  EXPECT_TRUE(d.read_body);
  // A Transfer-Encoding other than chunked is checked first.
  EXPECT_EQ(Status(Post("/x", 0xFFFFFFFFull, {{"transfer-encoding", "gzip"}})), 501);
}

TEST(DecideHeadTest, ExpectContinueOnlyWhenABodyFollows) {
  EXPECT_TRUE(DecideHead(Post("/x", 3, {{"expect", "100-continue"}}), {}).send_continue);
  EXPECT_TRUE(DecideHead(Post("/x", 3, {{"expect", " 100-Continue\t"}}), {}).send_continue);
  EXPECT_TRUE(
      DecideHead(Chunked({{"transfer-encoding", "chunked"}, {"expect", "100-continue"}}), {})
          .send_continue);
  EXPECT_FALSE(DecideHead(Post("/x", 0, {{"expect", "100-continue"}}), {}).send_continue);
  EXPECT_FALSE(DecideHead(Head("GET", "/x", {{"expect", "100-continue"}}), {}).send_continue);
  EXPECT_FALSE(DecideHead(Post("/x", 3, {{"expect", "100-continued"}}), {}).send_continue);
  EXPECT_FALSE(DecideHead(Post("/x", 3, {{"expect", ""}}), {}).send_continue);
  // The first Expect header decides.
  EXPECT_FALSE(
      DecideHead(Post("/x", 3, {{"expect", "x"}, {"expect", "100-continue"}}), {}).send_continue);
  // An error status wins over 100 Continue.
  HeadDecision d = DecideHead(Post("/x", 0xFFFFFFFFull, {{"expect", "100-continue"}}), {});
  EXPECT_EQ(d.status, 413);
  EXPECT_FALSE(d.send_continue);
}

// ---- StatusForRefusedVersion ----

TEST(StatusForRefusedVersionTest, OtherHttpVersionsAre505) {
  struct Case {
    std::string received;
    int status;
  } cases[] = {
      {"GET /x HTTP/2.0\r\n\r\n", 505},
      {"GET /x HTTP/1.2\r\nHost: x\r\n\r\n", 505},
      {"GET /x HTTP/3", 505},  // no CRLF yet: the whole text is the line
      {"GET /x HTTP/1.1x\r\n\r\n", 505},
      {"GET /a b HTTP/2.0\r\n\r\n", 505},
      {"GET /x HTTX/1.1\r\n\r\n", 400},
      {"GET /x HTTP/\r\n\r\n", 400},
      {"GET /x http/2.0\r\n\r\n", 400},
      {"GET HTTP/2.0\r\n\r\n", 400},  // one space: no target
      {"GARBAGE\r\n\r\n", 400},
      {"", 400},
      {"GET /x \r\nHTTP/2.0\r\n", 400},  // the version must be on the request line
  };
  for (const Case& c : cases) {
    EXPECT_EQ(StatusForRefusedVersion(c.received), c.status) << c.received;
  }
}

// ---- DecodeRequest ----

DecodedRequest Decode(RequestHead head, std::string body = "", const ServerOptions& options = {}) {
  return DecodeRequest(std::move(head), std::move(body), options);
}

std::string Compress(std::string_view data, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

constexpr std::string_view kForm = "application/x-www-form-urlencoded";

TEST(DecodeRequestTest, MethodTargetPathQueryAndHeaders) {
  std::vector<Header> headers = {{"host", "x"}, {"x-a", "1"}, {"x-a", "2"}};
  DecodedRequest d = Decode(Head("GET", "/bot1:x/get%4De?a=1&b=x+y&c", headers));
  ASSERT_EQ(d.status, 0);
  const Request& r = d.request;
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.target, "/bot1:x/get%4De?a=1&b=x+y&c");
  EXPECT_EQ(r.path, "/bot1:x/getMe");
  EXPECT_FALSE(r.absolute_uri);
  EXPECT_EQ(ToPairs(r.params), (Pairs{{"a", "1"}, {"b", "x y"}, {"c", ""}}));
  ASSERT_EQ(r.headers.size(), 3u);
  for (size_t i = 0; i < headers.size(); ++i) {
    EXPECT_EQ(r.headers[i].name, headers[i].name);
    EXPECT_EQ(r.headers[i].value, headers[i].value);
  }
  ASSERT_NE(r.GetHeader("x-a"), nullptr);
  EXPECT_EQ(*r.GetHeader("x-a"), "1");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.remote, "");  // the server's to fill
}

TEST(DecodeRequestTest, PathIsPercentDecodedWithPlusKept) {
  struct Case {
    std::string target;
    std::string path;
    Pairs params;
  } cases[] = {
      {"/a+b%2Fc", "/a+b/c", {}},
      {"/%zz%4", "/%zz%4", {}},
      {"/x?", "/x", {}},
      {"?a=1", "", {{"a", "1"}}},
      {"/x?a=1?b=2&&c=%3D", "/x", {{"a", "1?b=2"}, {"c", "="}}},
      {"*", "*", {}},
      {"", "", {}},
  };
  for (const Case& c : cases) {
    DecodedRequest d = Decode(Head("GET", c.target));
    ASSERT_EQ(d.status, 0) << c.target;
    EXPECT_EQ(d.request.path, c.path) << c.target;
    EXPECT_EQ(ToPairs(d.request.params), c.params) << c.target;
    EXPECT_FALSE(d.request.absolute_uri) << c.target;
  }
}

TEST(DecodeRequestTest, AbsoluteUris) {
  struct Case {
    std::string target;
    bool absolute;
    std::string path;
    Pairs params;
  } cases[] = {
      {"http://api.example/bot1%3Ax/getMe?a=1", true, "/bot1:x/getMe", {{"a", "1"}}},
      {"HTTPS://api.example:443?a=1", true, "", {{"a", "1"}}},
      {"Http://h/p", true, "/p", {}},
      {"http://host", true, "", {}},
      {"http://", true, "", {}},
      {"http://user@h/p?q", true, "/p", {{"q", ""}}},
      {"ftp://h/p", false, "ftp://h/p", {}},
      {"http:/h/p", false, "http:/h/p", {}},
      {"/http://h/p", false, "/http://h/p", {}},
  };
  for (const Case& c : cases) {
    DecodedRequest d = Decode(Head("GET", c.target));
    ASSERT_EQ(d.status, 0) << c.target;
    EXPECT_EQ(d.request.absolute_uri, c.absolute) << c.target;
    EXPECT_EQ(d.request.path, c.path) << c.target;
    EXPECT_EQ(ToPairs(d.request.params), c.params) << c.target;
    EXPECT_EQ(d.request.target, c.target);  // kept raw
  }
}

TEST(DecodeRequestTest, QueryParamsComeBeforeBodyParams) {
  DecodedRequest d = Decode(Post("/m?chat_id=1&name=q", 0, {{"content-type", "application/json"}}),
                            R"({"chat_id":2,"name":"a","name":"b"})");
  ASSERT_EQ(d.status, 0);
  EXPECT_EQ(
      ToPairs(d.request.params),
      (Pairs{{"chat_id", "1"}, {"name", "q"}, {"chat_id", "2"}, {"name", "a"}, {"name", "b"}}));
  EXPECT_EQ(*d.request.params.Find("chat_id"), "1");

  d = Decode(Post("/m?a=0", 0, {{"content-type", std::string(kForm)}}), "a=1&b=2");
  EXPECT_EQ(ToPairs(d.request.params), (Pairs{{"a", "0"}, {"a", "1"}, {"b", "2"}}));

  std::string multipart =
      "--B\r\nContent-Disposition: form-data; name=\"t\"\r\n\r\nv1\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nfile\r\n--B--\r\n";
  d = Decode(Post("/m?q=0", 0, {{"content-type", "multipart/form-data; boundary=B"}}), multipart);
  ASSERT_EQ(d.status, 0);
  EXPECT_EQ(ToPairs(d.request.params), (Pairs{{"q", "0"}, {"t", "v1"}}));
  EXPECT_EQ(d.request.body, multipart);
}

TEST(DecodeRequestTest, ContentTypeChoosesTheParserByWhatItContains) {
  struct Case {
    std::string type;  // "" for no Content-Type header
    std::string body;
    Pairs params;
  } cases[] = {
      {"Application/JSON; charset=utf-8", R"({"a":1})", {{"a", "1"}}},
      {"text/json+application/json", R"({"a":1})", {{"a", "1"}}},
      {"application/x-www-form-urlencoded;charset=UTF-8", "a=1", {{"a", "1"}}},
      // Urlencoded is looked for before JSON.
      {"application/json; x=application/x-www-form-urlencoded", "a=1", {{"a", "1"}}},
      // Multipart before both.
      {"application/json, multipart/form-data; boundary=B",
       "--B\r\nContent-Disposition: form-data; name=m\r\n\r\n1\r\n--B--",
       {{"m", "1"}}},
      {"text/plain", "a=1", {}},
      {"application/jso", R"({"a":1})", {}},
      {"", "a=1", {}},
  };
  for (const Case& c : cases) {
    std::vector<Header> headers;
    if (!c.type.empty()) headers.push_back({"content-type", c.type});
    DecodedRequest d = Decode(Post("/x", c.body.size(), headers), c.body);
    ASSERT_EQ(d.status, 0) << c.type;
    EXPECT_EQ(ToPairs(d.request.params), c.params) << c.type;
    EXPECT_EQ(d.request.body, c.body) << c.type;  // kept whatever the type
  }
  // The first Content-Type header is the one used.
  DecodedRequest d = Decode(
      Post("/x", 3, {{"content-type", "text/plain"}, {"content-type", std::string(kForm)}}), "a=1");
  EXPECT_EQ(ToPairs(d.request.params), Pairs{});
}

TEST(DecodeRequestTest, CompressedBodies) {
  const std::string json = R"({"chat_id":-5})";
  struct Case {
    std::string encoding;
    std::string body;
  } cases[] = {
      {"gzip", Compress(json, 16 + MAX_WBITS)},
      {" GZIP ", Compress(json, 16 + MAX_WBITS)},
      {"x-gzip", Compress(json, 16 + MAX_WBITS)},
      {"deflate", Compress(json, MAX_WBITS)},   // zlib-wrapped
      {"deflate", Compress(json, -MAX_WBITS)},  // raw
      {"identity", json},
      {"none", json},
      {"", json},
  };
  for (const Case& c : cases) {
    DecodedRequest d =
        Decode(Post("/x", c.body.size(),
                    {{"content-type", "application/json"}, {"content-encoding", c.encoding}}),
               c.body);
    ASSERT_EQ(d.status, 0) << c.encoding;
    EXPECT_EQ(d.request.body, json) << c.encoding;  // the decoded bytes
    EXPECT_EQ(ToPairs(d.request.params), (Pairs{{"chat_id", "-5"}})) << c.encoding;
  }
}

TEST(DecodeRequestTest, UnknownContentEncodingIs415) {
  for (std::string_view encoding : {"br", "compress", "gzip, br", "zstd"}) {
    DecodedRequest d = Decode(
        Post("/x", 2,
             {{"content-type", "application/json"}, {"content-encoding", std::string(encoding)}}),
        "{}");
    EXPECT_EQ(d.status, 415) << encoding;
  }
  // Even with an empty body.
  EXPECT_EQ(Decode(Head("GET", "/x", {{"content-encoding", "br"}})).status, 415);
}

TEST(DecodeRequestTest, CorruptCompressedBodyIs400) {
  std::string gz = Compress(std::string(5000, 'x'), 16 + MAX_WBITS);
  for (const std::string& body : {std::string("notgzip"), gz.substr(0, gz.size() / 2)}) {
    DecodedRequest d = Decode(Post("/x", body.size(), {{"content-encoding", "gzip"}}), body);
    EXPECT_EQ(d.status, 400);
  }
}

TEST(DecodeRequestTest, BodyOverTheLimitIs413) {
  ServerOptions options;
  options.body_limit = 1000;
  EXPECT_EQ(Decode(Post("/x", 1000), std::string(1000, 'x'), options).status, 0);
  EXPECT_EQ(Decode(Post("/x", 1001), std::string(1001, 'x'), options).status, 413);
  // A small body that inflates past the limit.
  std::string gz = Compress("a=" + std::string(5000, 'z'), 16 + MAX_WBITS);
  ASSERT_LT(gz.size(), 1000u);
  DecodedRequest d = Decode(
      Post("/x", gz.size(), {{"content-type", std::string(kForm)}, {"content-encoding", "gzip"}}),
      gz, options);
  EXPECT_EQ(d.status, 413);
}

TEST(DecodeRequestTest, MalformedMultipartIs400) {
  for (std::string_view type : {"multipart/form-data", "multipart/form-data; boundary=",
                                "multipart/form-data; boundary=B"}) {
    DecodedRequest d = Decode(Post("/x", 5, {{"content-type", std::string(type)}}), "--b--");
    EXPECT_EQ(d.status, 400) << type;
  }
}

TEST(DecodeRequestTest, MoreThan50FilesIs413) {
  auto files = [](int n) {
    std::string body;
    for (int i = 0; i < n; ++i)
      body += "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nx\r\n";
    return body + "--B--";
  };
  std::vector<Header> headers = {{"content-type", "multipart/form-data; boundary=B"}};
  EXPECT_EQ(Decode(Post("/x", 0, headers), files(50)).status, 0);
  EXPECT_EQ(Decode(Post("/x", 0, headers), files(51)).status, 413);
}

// The part headers of a multipart body get what the request's own head left of header_limit:
// method + target + 13, plus name + value + 4 per header.
TEST(DecodeRequestTest, MultipartPartHeadersShareTheHeaderLimitIs431) {
  const std::string type = "multipart/form-data; boundary=B";
  const std::string part_headers = "Content-Disposition: form-data; name=\"a\"";
  const std::string body = "--B\r\n" + part_headers + "\r\n\r\nv\r\n--B--";
  const size_t head_bytes = 4 + 2 + 13 + (12 + type.size() + 4);  // "POST", "/x", content-type
  ServerOptions options;
  options.header_limit = head_bytes + part_headers.size() + 4;
  DecodedRequest d = Decode(Post("/x", body.size(), {{"content-type", type}}), body, options);
  ASSERT_EQ(d.status, 0);
  EXPECT_EQ(ToPairs(d.request.params), (Pairs{{"a", "v"}}));

  options.header_limit -= 1;
  EXPECT_EQ(Decode(Post("/x", body.size(), {{"content-type", type}}), body, options).status, 431);
  // A longer target leaves less.
  options.header_limit += 1;
  EXPECT_EQ(Decode(Post("/xy", body.size(), {{"content-type", type}}), body, options).status, 431);
  // A head over the limit by itself leaves nothing (and no underflow).
  options.header_limit = 10;
  EXPECT_EQ(Decode(Post("/x", body.size(), {{"content-type", type}}), body, options).status, 431);
}

TEST(DecodeRequestTest, ParamTextOverTheLimitIs413) {
  ServerOptions options;
  options.param_limit = 10;
  std::vector<Header> form = {{"content-type", std::string(kForm)}};
  // Names and values count, query and body together: 1 + 5 + 1 + 3 = 10.
  EXPECT_EQ(Decode(Post("/x?a=12345", 5, form), "b=123", options).status, 0);
  EXPECT_EQ(Decode(Post("/x?a=12345", 6, form), "b=1234", options).status, 413);
  EXPECT_EQ(Decode(Head("GET", "/x?a=1234567890"), "", options).status, 413);
  // Bytes of a body that gives no params do not count.
  EXPECT_EQ(Decode(Post("/x", 100), std::string(100, 'x'), options).status, 0);
}

TEST(DecodeRequestTest, TheFirstErrorWins) {
  // An unknown encoding is found before a malformed multipart body.
  DecodedRequest d =
      Decode(Post("/x", 5, {{"content-type", "multipart/form-data"}, {"content-encoding", "br"}}),
             "--b--");
  EXPECT_EQ(d.status, 415);
  // A malformed multipart body before the parameter limit.
  ServerOptions options;
  options.param_limit = 1;
  d = Decode(Post("/x?a=123", 5, {{"content-type", "multipart/form-data"}}), "--b--", options);
  EXPECT_EQ(d.status, 400);
}

// The decisions on random heads and bodies: no crash, and only the documented statuses.
TEST(RequestDecoderTest, RandomInputsGiveOnlyDocumentedStatuses) {
  std::mt19937 rng(20240610);
  const std::string alphabet = "/?&=%+:ab\"{}[],\\u0123456789 \r\n-\xff\xc3\xa9";
  const std::vector<std::string> types = {"application/json", std::string(kForm),
                                          "multipart/form-data; boundary=b", "text/plain", ""};
  const std::vector<std::string> encodings = {"", "gzip", "deflate", "identity", "br"};
  auto text = [&](size_t max) {
    std::string s(rng() % max, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  ServerOptions options;
  options.param_limit = 40;
  options.header_limit = 200;
  options.body_limit = 100;
  int refused = 0, failed = 0, decoded = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string target = (i % 4 == 0 ? "http://h" : "") + text(40);
    std::string body = text(64);
    if (i % 3 == 0) body = "--b\r\nContent-Disposition: form-data; name=x\r\n\r\n" + body;
    if (i % 5 == 0) body = Compress(body, i % 2 ? 16 + MAX_WBITS : MAX_WBITS);
    std::vector<Header> headers;
    const std::string& type = types[rng() % types.size()];
    const std::string& encoding = encodings[rng() % encodings.size()];
    if (!type.empty()) headers.push_back({"content-type", type});
    if (!encoding.empty()) headers.push_back({"content-encoding", encoding});
    if (i % 7 == 0) headers.push_back({"transfer-encoding", text(10)});
    if (i % 11 == 0) headers.push_back({"expect", "100-continue"});
    RequestHead head = Head(i % 13 == 0 ? "PUT" : "POST", target, std::move(headers));
    head.content_length = rng() % 4 == 0 ? uint64_t{0xFFFFFFFF} : body.size();
    head.version = rng() % 8 == 0 ? 12 : 11;

    HeadDecision decision = DecideHead(head, options);
    EXPECT_TRUE(decision.status == 0 || decision.status == 413 || decision.status == 501 ||
                decision.status == 505)
        << decision.status;
    if (decision.status != 0) {
      ++refused;
      continue;
    }
    DecodedRequest r = DecodeRequest(std::move(head), body, options);
    if (r.status != 0) {
      EXPECT_TRUE(r.status == 400 || r.status == 413 || r.status == 415 || r.status == 431)
          << r.status;
      ++failed;
      continue;
    }
    ++decoded;
    EXPECT_LE(r.request.params.text_bytes(), options.param_limit);
    EXPECT_LE(r.request.body.size(), options.body_limit);
    EXPECT_EQ(r.request.target, target);
    int version_status = StatusForRefusedVersion(body);
    EXPECT_TRUE(version_status == 400 || version_status == 505);
  }
  EXPECT_GT(refused, 1000);
  EXPECT_GT(failed, 1000);
  EXPECT_GT(decoded, 1000);
}

}  // namespace
}  // namespace tgi::http
