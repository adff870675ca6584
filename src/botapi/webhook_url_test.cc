#include "botapi/webhook_url.h"

#include <gtest/gtest.h>

namespace tgi::botapi {
namespace {

// Issue 13: the URLs the reference (TDLib's parse_url, HTTPS by default) takes and refuses.
TEST(WebhookUrlTest, TakesWhatParseUrlTakes) {
  struct Case {
    const char* url;
    bool https;
    int port;
  } cases[] = {
      {"http://127.0.0.1:8080/hook", false, 8080},
      {"https://example.com/hook", true, 443},
      {"HTTP://Example.COM", false, 80},
      {"example.com/hook", true, 443},
      {"example.com:8443/hook?x=1", true, 8443},
      {"127.0.0.1:80", true, 80},
      {"http://h:0080/", false, 80},
      {"http://h:65535", false, 65535},
      {"http://user:pa%41ss@h:81/x", false, 81},
      {"http://[::1]:8080/x", false, 8080},
      {"http://[::1]/x", false, 80},
      {"https://пример.рф/", true, 443},
      {"http://h/path with spaces|and{braces}", false, 80},
  };
  for (const Case& c : cases) {
    auto u = ParseWebhookUrl(c.url);
    ASSERT_TRUE(u) << c.url;
    EXPECT_EQ(u->https, c.https) << c.url;
    EXPECT_EQ(u->port, c.port) << c.url;
  }
}

TEST(WebhookUrlTest, RefusesWhatParseUrlRefuses) {
  for (const char* url : {"ftp://example.com/", "http://h:65536/", "http://h:70000/", "http://h:0/",
                          "http://h:00/", "http://h:/", "http://h:-1/", "http://h:8x/",
                          "http:///path", "http://./", "", ":80", "http://h^/", "http://us er@h/",
                          "http://h%4/", "http://[::g]/", "http://[::1/", "https://a b.com/"}) {
    EXPECT_FALSE(ParseWebhookUrl(url)) << url;
  }
}

TEST(WebhookUrlTest, PutsHttpsInFrontOfAUrlWithoutProtocol) {
  EXPECT_EQ(WebhookUrlWithProtocol("example.com/hook"), "https://example.com/hook");
  EXPECT_EQ(WebhookUrlWithProtocol("127.0.0.1:88/x"), "https://127.0.0.1:88/x");
  EXPECT_EQ(WebhookUrlWithProtocol("http://h/x"), "http://h/x");
  EXPECT_EQ(WebhookUrlWithProtocol("HTTPS://h/x"), "HTTPS://h/x");
}

}  // namespace
}  // namespace tgi::botapi
