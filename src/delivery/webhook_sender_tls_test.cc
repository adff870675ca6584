// The sender delivering to https:// webhooks: a TLS receiver with a certificate from a CA of the
// test's own, verified or refused as TDLib does.
#include <gtest/gtest.h>

#include "delivery/webhook_sender_test_util.h"

namespace tgi::delivery::webhook_test {

// A CA of the test's own and a certificate it signs, for a TLS receiver; the CA in a PEM file
// for MakeWebhookTls.
struct TestPki {
  explicit TestPki(const std::vector<std::string>& names) {
    auto made_ca = certs::MakeCa("webhook test CA", 1);
    EXPECT_TRUE(made_ca.ok());
    ca = *made_ca;
    auto made = certs::IssueServerCert(ca, names, 1);
    EXPECT_TRUE(made.ok());
    leaf = *made;
    char path[] = "/tmp/tginvite-webhook-ca-XXXXXX";
    int fd = ::mkstemp(path);
    ::close(fd);
    ca_file = path;
    std::ofstream(ca_file) << ca.cert;
  }
  ~TestPki() { std::remove(ca_file.c_str()); }
  certs::KeyPair ca;
  certs::KeyPair leaf;
  std::string ca_file;
};

WebhookOptions TrustingCa(WebhookOptions options, const std::string& ca_file) {
  auto tls = MakeWebhookTls(ca_file);
  EXPECT_TRUE(tls.ok()) << tls.error().message;
  options.tls = *tls;
  return options;
}

TEST_F(WebhookSenderTest, HttpsIsDeliveredWhenTheCertificateVerifies) {
  TestPki pki({"localhost", "127.0.0.1"});
  Receiver tls_receiver(&pki.leaf);
  Start(TrustingCa(Fast(), pki.ca_file));
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/tls", "s3cret");
  Join(kChatA, 2);
  ASSERT_TRUE(tls_receiver.WaitForCount(2));
  ASSERT_TRUE(Eventually([&] { return StoredUpdates().empty(); }));
  auto got = tls_receiver.requests();
  EXPECT_EQ(got[0].target, "/tls");
  EXPECT_EQ(got[0].headers["x-telegram-bot-api-secret-token"], "s3cret");
  EXPECT_EQ(got[0].connection, got[1].connection) << "the TLS connection is kept alive";
  EXPECT_EQ(HookStatus().last_error_date, 0);
}

TEST_F(WebhookSenderTest, HttpsWithAnUntrustedCertificateFailsAsTdlibSaysIt) {
  TestPki pki({"localhost", "127.0.0.1"});
  Receiver tls_receiver(&pki.leaf);
  Start();  // the system's CAs only: the test's CA is not one of them
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message ==
           "SSL error {error:0A000086:SSL routines::certificate verify failed}";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(tls_receiver.count(), 0u);
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST_F(WebhookSenderTest, HttpsToAHostTheCertificateIsNotForFailsVerification) {
  TestPki pki({"example.test"});
  Receiver tls_receiver(&pki.leaf);
  Start(TrustingCa(Fast(), pki.ca_file));
  SetWebhook("https://127.0.0.1:" + std::to_string(tls_receiver.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message ==
           "SSL error {error:0A000086:SSL routines::certificate verify failed}";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(tls_receiver.count(), 0u);
}

TEST_F(WebhookSenderTest, HttpsToAPlainHttpReceiverIsAClosedConnection) {
  Start();
  SetWebhook("https://127.0.0.1:" + std::to_string(receiver_.port()) + "/");
  Join(kChatA, 1);
  ASSERT_TRUE(Eventually([&] {
    return HookStatus().last_error_message == "Webhook connection closed";
  })) << HookStatus().last_error_message;
  EXPECT_EQ(receiver_.count(), 0u);
  EXPECT_EQ(StoredUpdates().size(), 1u);
}

TEST(MakeWebhookTls, ABadCaFileIsNamed) {
  auto missing = MakeWebhookTls("/nonexistent/ca.pem");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read the webhook CA file /nonexistent/ca.pem: No such file or directory");
  char path[] = "/tmp/tginvite-not-a-ca-XXXXXX";
  int fd = ::mkstemp(path);
  ::close(fd);
  std::ofstream(path) << "not a certificate\n";
  auto empty = MakeWebhookTls(path);
  std::remove(path);
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.error().message.starts_with("the webhook CA file " + std::string(path) +
                                                " holds no usable PEM certificate: "))
      << empty.error().message;
  EXPECT_TRUE(MakeWebhookTls("").ok());
}

}  // namespace tgi::delivery::webhook_test
