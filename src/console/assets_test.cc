#include "console/assets.h"

#include <gtest/gtest.h>

#include <string>

namespace tgi::console {
namespace {

const unsigned char kIndex[] = {'<', 'p', '>', 0};
const unsigned char kScript[] = {'e', 'x', 'p', 'o', 'r', 't', 0};
const EmbeddedFile kTable[] = {
    {"index.html", kIndex, 3, "0123456789abcdef0123"},
    {"views/world.js", kScript, 6, "fedcba9876543210fedc"},
};

http::Request Get(std::string path) {
  http::Request r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const http::Header& h : r.extra_headers)
    if (h.name == name) return h.value;
  return "(none)";
}

TEST(ConsoleAssetsTest, FindsOnlyExactPathsWithoutDotSegments) {
  EXPECT_EQ(FindFile(kTable, "index.html"), &kTable[0]);
  EXPECT_EQ(FindFile(kTable, "views/world.js"), &kTable[1]);
  EXPECT_EQ(FindFile(kTable, "views/../index.html"), nullptr);
  EXPECT_EQ(FindFile(kTable, "./index.html"), nullptr);
  EXPECT_EQ(FindFile(kTable, "views//world.js"), nullptr);
  EXPECT_EQ(FindFile(kTable, "views\\world.js"), nullptr);
  EXPECT_EQ(FindFile(kTable, std::string_view("index.html\0", 11)), nullptr);
  EXPECT_EQ(FindFile(kTable, "Index.html"), nullptr);
  EXPECT_EQ(FindFile(kTable, ""), nullptr);
  EXPECT_EQ(FindFile(kTable, "views"), nullptr);
}

TEST(ConsoleAssetsTest, ContentTypesByExtension) {
  EXPECT_EQ(ContentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("console.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("views/world.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ContentTypeFor("icon.svg"), "image/svg+xml");
  EXPECT_EQ(ContentTypeFor("data.json"), "application/json");
  EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
  EXPECT_EQ(ContentTypeFor("dir.js/file"), "application/octet-stream");
}

TEST(ConsoleAssetsTest, ConsolePathsAreTheFolderAndBelow) {
  EXPECT_TRUE(IsConsolePath("/console"));
  EXPECT_TRUE(IsConsolePath("/console/"));
  EXPECT_TRUE(IsConsolePath("/console/app.js"));
  EXPECT_FALSE(IsConsolePath("/consoles"));
  EXPECT_FALSE(IsConsolePath("/control/v1/clock"));
  EXPECT_FALSE(IsConsolePath("/bot1:x/getMe"));
}

TEST(ConsoleAssetsTest, ServesIndexForTheFolderAndFilesWithTypeAndETag) {
  for (const char* path : {"/console", "/console/", "/console/index.html"}) {
    http::Response r = Serve(kTable, Get(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body, "<p>") << path;
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_EQ(HeaderOf(r, "ETag"), "\"0123456789abcdef\"") << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
  }
  http::Response js = Serve(kTable, Get("/console/views/world.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "export");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
}

TEST(ConsoleAssetsTest, MatchingIfNoneMatchIsNotModified) {
  http::Request req = Get("/console/");
  req.headers.push_back({"if-none-match", "\"other\", W/\"0123456789abcdef\""});
  http::Response r = Serve(kTable, req);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");
  req.headers[0].value = "\"other\"";
  EXPECT_EQ(Serve(kTable, req).status, 200);
}

TEST(ConsoleAssetsTest, UnknownAndTraversingPathsAre404AndOtherVerbs405) {
  EXPECT_EQ(Serve(kTable, Get("/console/missing.js")).status, 404);
  EXPECT_EQ(Serve(kTable, Get("/console/../README.md")).status, 404);
  EXPECT_EQ(Serve(kTable, Get("/console/views/../index.html")).status, 404);
  EXPECT_EQ(Serve(kTable, Get("/console//index.html")).status, 404);
  http::Request post = Get("/console/");
  post.method = "POST";
  http::Response r = Serve(kTable, post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(HeaderOf(r, "Allow"), "GET");
}

// The table the build made from web/console/: sorted, each file's size and hash as generated.
TEST(ConsoleAssetsTest, BuiltInTableHoldsTheConsole) {
  std::span<const EmbeddedFile> files = EmbeddedFiles();
  ASSERT_NE(FindFile(files, "index.html"), nullptr);
  ASSERT_NE(FindFile(files, "app.js"), nullptr);
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(files[i].sha256.size(), 64u) << files[i].path;
    EXPECT_EQ(files[i].data[files[i].size], 0) << files[i].path;  // the padding byte
    if (i > 0) {
      EXPECT_LT(files[i - 1].path, files[i].path);
    }
  }
  std::string_view index = FindFile(files, "index.html")->bytes();
  EXPECT_NE(index.find("<!doctype html>"), std::string_view::npos);
}

}  // namespace
}  // namespace tgi::console
