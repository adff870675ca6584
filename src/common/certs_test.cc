// The CA and server certificates, checked with OpenSSL's own chain and name verification.
#include "common/certs.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

namespace tgi::certs {
namespace {

X509* ReadCert(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return cert;
}

// OpenSSL's verdict on `leaf` for `host` (a name or an IP address), trusting only `ca`:
// X509_V_OK or the error.
int Verify(const KeyPair& ca, const KeyPair& leaf, const std::string& host) {
  X509* ca_cert = ReadCert(ca.cert);
  X509* leaf_cert = ReadCert(leaf.cert);
  EXPECT_NE(ca_cert, nullptr);
  EXPECT_NE(leaf_cert, nullptr);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca_cert);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf_cert, nullptr);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  if (IsIpAddress(host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  }
  int result = X509_verify_cert(ctx) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(leaf_cert);
  X509_free(ca_cert);
  return result;
}

TEST(Certs, AServerCertificateVerifiesForEachOfItsNamesAgainstItsCa) {
  auto ca = MakeCa("test CA", 30);
  ASSERT_TRUE(ca.ok()) << ca.error().message;
  EXPECT_TRUE(ca->cert.starts_with("-----BEGIN CERTIFICATE-----\n"));
  EXPECT_TRUE(ca->key.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  std::vector<std::string> names = {"api.telegram.org", "localhost", "127.0.0.1", "::1"};
  auto leaf = IssueServerCert(*ca, names, 30);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  for (const std::string& host : names) EXPECT_EQ(Verify(*ca, *leaf, host), X509_V_OK) << host;
}

TEST(Certs, OtherNamesAndOtherCasAreRefused) {
  auto ca = MakeCa("test CA", 30);
  auto other_ca = MakeCa("test CA", 30);  // the same name, another key
  ASSERT_TRUE(ca.ok() && other_ca.ok());
  std::vector<std::string> names = {"api.telegram.org", "127.0.0.1"};
  auto leaf = IssueServerCert(*ca, names, 30);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  EXPECT_EQ(Verify(*ca, *leaf, "example.org"), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(Verify(*ca, *leaf, "telegram.org"), X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(Verify(*ca, *leaf, "127.0.0.2"), X509_V_ERR_IP_ADDRESS_MISMATCH);
  EXPECT_NE(Verify(*other_ca, *leaf, "api.telegram.org"), X509_V_OK);
}

TEST(Certs, AWildcardNameCoversOneLabel) {
  auto ca = MakeCa("test CA", 30);
  ASSERT_TRUE(ca.ok());
  std::vector<std::string> names = {"*.example.test"};
  auto leaf = IssueServerCert(*ca, names, 30);
  ASSERT_TRUE(leaf.ok()) << leaf.error().message;
  EXPECT_EQ(Verify(*ca, *leaf, "a.example.test"), X509_V_OK);
  EXPECT_EQ(Verify(*ca, *leaf, "a.b.example.test"), X509_V_ERR_HOSTNAME_MISMATCH);
}

TEST(Certs, BadNamesAndBadCasAreRefusedWithAReason) {
  auto ca = MakeCa("test CA", 30);
  ASSERT_TRUE(ca.ok());
  for (std::string bad : {"", "a,DNS:evil.test", "a b", "a..b", ".a", "[::1]", "a/b"}) {
    std::vector<std::string> names = {bad};
    auto leaf = IssueServerCert(*ca, names, 30);
    ASSERT_FALSE(leaf.ok()) << bad;
    EXPECT_EQ(leaf.error().message, "not a host name or IP address: " + bad);
  }
  EXPECT_EQ(IssueServerCert(*ca, {}, 30).error().message, "a certificate needs at least one name");

  std::vector<std::string> names = {"localhost"};
  auto other = MakeCa("other", 30);
  ASSERT_TRUE(other.ok());
  KeyPair mixed{.cert = ca->cert, .key = other->key};
  EXPECT_EQ(IssueServerCert(mixed, names, 30).error().message,
            "the CA key is not the key of the CA certificate");
  KeyPair garbage{.cert = "not a certificate", .key = ca->key};
  auto refused = IssueServerCert(garbage, names, 30);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().message.starts_with("cannot read the CA certificate: "))
      << refused.error().message;
}

}  // namespace
}  // namespace tgi::certs
