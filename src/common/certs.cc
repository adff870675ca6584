#include "common/certs.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace tgi::certs {
namespace {

template <auto kFree>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

constexpr long kSecondsPerDay = 86400;
constexpr long kBackdate = 3600;  // notBefore an hour back: a peer's clock may lag a little

// OpenSSL's words for the latest failure; the thread's error queue is emptied.
std::string OpenSslReason() {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

Unexpected<Error> Failed(std::string_view what) {
  return Fail(std::string(what) + ": " + OpenSslReason());
}

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256")); }

std::string ToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return "";
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

std::string ToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return "";
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

// A certificate with a random 127-bit serial, the validity window and `key`'s public half; the
// subject's common name and organisation as given.
CertPtr NewCert(EVP_PKEY* key, std::string_view common_name, int days) {
  CertPtr cert(X509_new());
  BnPtr serial(BN_new());
  if (!cert || !serial || X509_set_version(cert.get(), 2) != 1 ||
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdate) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * kSecondsPerDay) == nullptr ||
      X509_set_pubkey(cert.get(), key) != 1) {
    return nullptr;
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const std::string cn(common_name);
  if (X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("tginvite"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    return nullptr;
  }
  return cert;
}

// Adds one extension in OpenSSL's configuration syntax, with `issuer` for the authority key
// identifier.
bool AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A DNS name a certificate may carry: labels of letters, digits and '-', dot-separated, with an
// optional leading "*." wildcard. Nothing that could break out of the extension's syntax.
bool IsDnsName(std::string_view name) {
  if (name.starts_with("*.")) name.remove_prefix(2);
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
  char previous = '.';
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok || (c == '.' && previous == '.')) return false;
    previous = c;
  }
  return true;
}

}  // namespace

bool IsIpAddress(std::string_view name) {
  const std::string text(name);
  unsigned char buf[16];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

Result<KeyPair> MakeCa(std::string_view common_name, int days) {
  ERR_clear_error();
  KeyPtr key = NewKey();
  if (!key) return Failed("cannot make a key");
  CertPtr cert = NewCert(key.get(), common_name, days);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Failed("cannot make the CA certificate");
  }
  return KeyPair{.cert = ToPem(cert.get()), .key = ToPem(key.get())};
}

Result<KeyPair> IssueServerCert(const KeyPair& ca, std::span<const std::string> names, int days) {
  if (names.empty()) return Fail("a certificate needs at least one name");
  std::string alt_names;
  for (const std::string& name : names) {
    if (!alt_names.empty()) alt_names += ',';
    if (IsIpAddress(name)) {
      alt_names += "IP:" + name;
    } else if (IsDnsName(name)) {
      alt_names += "DNS:" + name;
    } else {
      return Fail("not a host name or IP address: " + name);
    }
  }

  ERR_clear_error();
  BioPtr cert_bio(BIO_new_mem_buf(ca.cert.data(), static_cast<int>(ca.cert.size())));
  BioPtr key_bio(BIO_new_mem_buf(ca.key.data(), static_cast<int>(ca.key.size())));
  CertPtr ca_cert(cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)
                           : nullptr);
  if (!ca_cert) return Failed("cannot read the CA certificate");
  KeyPtr ca_key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr)
                        : nullptr);
  if (!ca_key) return Failed("cannot read the CA key");
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    ERR_clear_error();
    return Fail("the CA key is not the key of the CA certificate");
  }

  KeyPtr key = NewKey();
  if (!key) return Failed("cannot make a key");
  CertPtr cert = NewCert(key.get(), names.front(), days);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, alt_names) ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0) {
    return Failed("cannot make the server certificate");
  }
  return KeyPair{.cert = ToPem(cert.get()), .key = ToPem(key.get())};
}

}  // namespace tgi::certs
