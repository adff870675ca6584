// Randomness and hashing, from OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tgi::crypto {

// `length` characters of [A-Za-z0-9_-] from a cryptographic random source (RAND_bytes).
// Aborts if the system cannot supply randomness: a guessable link is worse than no server.
std::string RandomBase64Url(size_t length);

using Sha256Digest = std::array<uint8_t, 32>;
Sha256Digest Sha256(std::string_view data);

// Compares in time independent of where the inputs differ.
bool ConstantTimeEqual(const Sha256Digest& a, const Sha256Digest& b);

std::string ToHex(const Sha256Digest& d);
// Returns false if `hex` is not 64 hex characters.
bool FromHex(std::string_view hex, Sha256Digest* out);

}  // namespace tgi::crypto
