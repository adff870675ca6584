// Certificates for local TLS (issue 13): a private certificate authority and server certificates
// it signs, as PEM text, made with OpenSSL's API (no openssl command needed). Used by
// `tginvited make-cert` (the drop-in recipe for bots that hard-code api.telegram.org) and by the
// tests, which need a CA of their own.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace tgi::certs {

// A certificate and its private key, both PEM. The key is unencrypted PKCS#8.
struct KeyPair {
  std::string cert;
  std::string key;
};

// A new self-signed certificate authority: an ECDSA P-256 key, "CA:TRUE" (critical), allowed
// only to sign certificates and CRLs, valid from an hour ago (clock skew) for `days` days. Its
// common name is `common_name` (a random suffix is the caller's business).
Result<KeyPair> MakeCa(std::string_view common_name, int days);

// A server certificate signed by `ca` (as MakeCa makes it, or any CA certificate with its key):
// a new ECDSA P-256 key, "CA:FALSE", key usage digitalSignature, extended key usage serverAuth,
// subject and authority key identifiers, and every entry of `names` in subjectAltName, as an IP
// address when it reads as one (IPv4 or IPv6) and as a DNS name otherwise (letters, digits, '-',
// '.', and a leading "*." wildcard). The first name is also the common name. Valid from an hour
// ago for `days` days. Fails on an empty list, a name that is neither, or a `ca` that cannot be
// read or whose key does not match its certificate.
Result<KeyPair> IssueServerCert(const KeyPair& ca, std::span<const std::string> names, int days);

// Whether `name` is an IPv4 or IPv6 address literal (without brackets).
bool IsIpAddress(std::string_view name);

}  // namespace tgi::certs
