// make-cert against a real temporary folder: the four files, their modes, a kept CA.
#include "server/make_cert.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/certs.h"

namespace tgi::server {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

mode_t Mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

class MakeCertTest : public ::testing::Test {
 protected:
  MakeCertTest() {
    char templ[] = "/tmp/tginvite-make-cert-XXXXXX";
    root_ = ::mkdtemp(templ);
  }
  ~MakeCertTest() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(MakeCertTest, MakesACaAndACertificateItSignsWithPrivateKeys) {
  const fs::path dir = root_ / "new" / "certs";  // made, parents too
  std::vector<std::string> names = {"api.telegram.org", "127.0.0.1"};
  auto report = MakeCertFiles(dir.string(), names);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_NE(report->find("made a new CA: " + (dir / "ca.pem").string()), std::string::npos)
      << *report;
  EXPECT_NE(report->find("for api.telegram.org 127.0.0.1"), std::string::npos) << *report;
  EXPECT_NE(report->find("--tls-cert " + (dir / "cert.pem").string() + " --tls-key " +
                         (dir / "key.pem").string()),
            std::string::npos)
      << *report;
  EXPECT_EQ(Mode(dir / "ca.pem"), 0644u);
  EXPECT_EQ(Mode(dir / "ca-key.pem"), 0600u);
  EXPECT_EQ(Mode(dir / "cert.pem"), 0644u);
  EXPECT_EQ(Mode(dir / "key.pem"), 0600u);
  EXPECT_FALSE(fs::exists(dir / "key.pem.tmp"));
  // The CA on disk signs again: the files are a working pair.
  certs::KeyPair ca{.cert = Read(dir / "ca.pem"), .key = Read(dir / "ca-key.pem")};
  EXPECT_TRUE(certs::IssueServerCert(ca, names, 1).ok());
  EXPECT_TRUE(Read(dir / "cert.pem").starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_TRUE(Read(dir / "key.pem").starts_with("-----BEGIN PRIVATE KEY-----"));
}

TEST_F(MakeCertTest, ASecondRunKeepsTheCaAndReplacesTheCertificate) {
  std::vector<std::string> names = {"localhost"};
  ASSERT_TRUE(MakeCertFiles(root_.string(), names).ok());
  const std::string ca = Read(root_ / "ca.pem");
  const std::string ca_key = Read(root_ / "ca-key.pem");
  const std::string cert = Read(root_ / "cert.pem");
  const std::string key = Read(root_ / "key.pem");
  auto again = MakeCertFiles(root_.string(), names);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_NE(again->find("kept the CA in " + (root_ / "ca.pem").string()), std::string::npos)
      << *again;
  EXPECT_EQ(Read(root_ / "ca.pem"), ca);
  EXPECT_EQ(Read(root_ / "ca-key.pem"), ca_key);
  EXPECT_NE(Read(root_ / "cert.pem"), cert);
  EXPECT_NE(Read(root_ / "key.pem"), key);
}

TEST_F(MakeCertTest, HalfACaOrABadNameWritesNothing) {
  std::vector<std::string> names = {"localhost"};
  std::ofstream(root_ / "ca.pem") << "x";
  auto refused = MakeCertFiles(root_.string(), names);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(
      refused.error().message,
      root_.string() + " has ca.pem without ca-key.pem: remove it, or put back the other one");
  EXPECT_FALSE(fs::exists(root_ / "cert.pem"));

  const fs::path fresh = root_ / "fresh";
  std::vector<std::string> bad = {"not a name"};
  refused = MakeCertFiles(fresh.string(), bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "not a host name or IP address: not a name");
  EXPECT_FALSE(fs::exists(fresh / "ca.pem"));
  EXPECT_FALSE(fs::exists(fresh / "ca-key.pem"));
  EXPECT_FALSE(fs::exists(fresh / "cert.pem"));
}

}  // namespace
}  // namespace tgi::server
