#include "http/tls.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tgi::http {

namespace ssl = boost::asio::ssl;

namespace {

// OpenSSL's reason for the first failure in the queue (the cause; later entries say where it
// surfaced), e.g. "no start line", without its numeric prefix; the queue is emptied.
std::string OpenSslReason() {
  unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown error";
}

// Why the file cannot be opened for reading (the system's words), or "" if it can. Checked first
// so that a missing file reads "No such file or directory" rather than OpenSSL's "system lib".
std::string Unreadable(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return std::strerror(errno);
  std::fclose(f);
  return "";
}

// The passphrase callback: none, so an encrypted key fails to load instead of OpenSSL asking on
// the terminal.
int NoPassphrase(char*, int, int, void*) { return 0; }

// ALPN: HTTP/1.1 if the client offers it. A client offering only h2 gets no protocol and may go
// on with HTTP/1.1 or give up; the server speaks nothing else.
int SelectHttp11(SSL*, const unsigned char** out, unsigned char* out_len, const unsigned char* in,
                 unsigned int in_len, void*) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, out_len, kHttp11, sizeof kHttp11, in, in_len) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

struct BioCloser {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct KeyFreer {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

}  // namespace

Result<std::shared_ptr<ssl::context>> LoadServerTls(const std::string& cert_file,
                                                    const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_default_passwd_cb(native, NoPassphrase);

  if (std::string why = Unreadable(cert_file); !why.empty())
    return Fail("cannot read the TLS certificate file " + cert_file + ": " + why);
  if (SSL_CTX_use_certificate_chain_file(native, cert_file.c_str()) != 1) {
    return Fail("the TLS certificate file " + cert_file +
                " holds no usable PEM certificate: " + OpenSslReason());
  }

  if (std::string why = Unreadable(key_file); !why.empty())
    return Fail("cannot read the TLS key file " + key_file + ": " + why);
  std::unique_ptr<BIO, BioCloser> bio(BIO_new_file(key_file.c_str(), "rb"));
  std::unique_ptr<EVP_PKEY, KeyFreer> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr) : nullptr);
  if (!key) {
    return Fail("the TLS key file " + key_file +
                " holds no usable PEM private key (it must not be encrypted): " + OpenSslReason());
  }
  if (SSL_CTX_use_PrivateKey(native, key.get()) != 1 || SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Fail("the TLS key file " + key_file + " is not the key of the certificate in " +
                cert_file);
  }
  SSL_CTX_set_alpn_select_cb(native, SelectHttp11, nullptr);
  return context;
}

}  // namespace tgi::http
