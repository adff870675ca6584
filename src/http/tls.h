// TLS for the HTTP server (issue 13): the certificate chain and private key the listener
// presents, loaded and checked once at start, so that a bad file stops tginvited before it
// listens rather than at the first client's handshake.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace boost::asio::ssl {
class context;
}

namespace tgi::http {

// A server-side TLS context made from PEM files: `cert_file` holds the server's certificate
// first, then any intermediate certificates; `key_file` its private key, unencrypted (there is
// no one to ask for a passphrase: an encrypted key is refused, never prompted for). TLS 1.2 and
// 1.3 only; ALPN answers "http/1.1" when the client offers it, nothing otherwise.
// The error names the file and what is wrong with it (missing or unreadable, no certificate, no
// usable key, a key that does not match the certificate), never the files' contents.
// The context is not changed afterwards and may be shared by every I/O thread.
Result<std::shared_ptr<boost::asio::ssl::context>> LoadServerTls(const std::string& cert_file,
                                                                 const std::string& key_file);

}  // namespace tgi::http
