#include "common/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace tgi::crypto {

namespace {

// Fork generation: a child must not hand out the bytes its parent buffered (both would then make
// the same links). Bumped in the child after fork; a buffer filled in another generation is
// thrown away.
std::atomic<uint64_t> fork_generation{0};

void RegisterForkHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    pthread_atfork(nullptr, nullptr,
                   [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
  });
}

// RAND_bytes per call costs about as much as a whole small request here (OpenSSL checks for a
// fork and a reseed and takes its DRBG through EVP on every call), so each thread draws 512
// bytes at a time from it and hands them out. The bytes are the DRBG's own output.
void RandomBytes(unsigned char* out, size_t n) {
  struct Pool {
    unsigned char bytes[512];
    size_t used = sizeof bytes;
    uint64_t generation = 0;
  };
  thread_local Pool pool;
  const uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (pool.generation != generation) {
    pool.used = sizeof pool.bytes;
    pool.generation = generation;
  }
  while (n > 0) {
    if (pool.used == sizeof pool.bytes) {
      RegisterForkHandler();  // before any bytes are kept: once per process, on a refill
      if (RAND_bytes(pool.bytes, static_cast<int>(sizeof pool.bytes)) != 1) {
        std::fputs("fatal: RAND_bytes failed\n", stderr);
        std::abort();
      }
      pool.used = 0;
    }
    const size_t take = std::min(n, sizeof pool.bytes - pool.used);
    std::memcpy(out, pool.bytes + pool.used, take);
    OPENSSL_cleanse(pool.bytes + pool.used, take);  // handed out once, then gone
    pool.used += take;
    out += take;
    n -= take;
  }
}

}  // namespace

std::string RandomBase64Url(size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(length, '\0');
  RandomBytes(reinterpret_cast<unsigned char*>(out.data()), length);
  // 64 symbols: the low 6 bits of a uniform byte are uniform.
  for (char& c : out) c = kAlphabet[static_cast<unsigned char>(c) & 63];
  return out;
}

Sha256Digest Sha256(std::string_view data) {
  // Fetched once, and one context per thread: EVP_Digest would fetch the algorithm and allocate
  // a context on every call, which is most of its cost for a token-sized input.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx local;
  Sha256Digest d{};
  unsigned int len = 0;
  if (md == nullptr || local.ctx == nullptr || EVP_DigestInit_ex2(local.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(local.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(local.ctx, d.data(), &len) != 1) {
    std::fputs("fatal: SHA-256 failed\n", stderr);
    std::abort();
  }
  return d;
}

bool ConstantTimeEqual(const Sha256Digest& a, const Sha256Digest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string ToHex(const Sha256Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (uint8_t b : d) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

bool FromHex(std::string_view hex, Sha256Digest* out) {
  if (hex.size() != 64) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < 32; ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

}  // namespace tgi::crypto
