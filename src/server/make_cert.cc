#include "server/make_cert.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/certs.h"
#include "common/crypto.h"

namespace tgi::server {
namespace {

namespace fs = std::filesystem;

constexpr int kCaDays = 3650;
// 825 days: the longest validity Apple's TLS clients accept for a server certificate.
constexpr int kCertDays = 825;

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes the whole file with `mode` (also when it existed with another one): into a temporary
// file beside it, then renamed over it, so a failure never leaves half a key.
Status WriteFile(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path temp = path.string() + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Fail("cannot write " + temp.string() + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0;
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(ok ? errno : saved);
    ::unlink(temp.c_str());
    return Fail("cannot write " + path.string() + ": " + why);
  }
  return {};
}

std::string Joined(std::span<const std::string> names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

}  // namespace

Result<std::string> MakeCertFiles(const std::string& dir, std::span<const std::string> names) {
  const fs::path folder(dir);
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) return Fail("cannot make the folder " + dir + ": " + ec.message());
  const fs::path ca_path = folder / "ca.pem";
  const fs::path ca_key_path = folder / "ca-key.pem";
  const bool have_ca = fs::exists(ca_path, ec);
  const bool have_ca_key = fs::exists(ca_key_path, ec);
  if (have_ca != have_ca_key) {
    return Fail(dir + " has " +
                (have_ca ? "ca.pem without ca-key.pem" : "ca-key.pem without ca.pem") +
                ": remove it, or put back the other one");
  }

  std::string report;
  certs::KeyPair ca;
  if (have_ca) {
    auto cert = ReadFile(ca_path);
    if (!cert) return Unexpected(cert.error());
    auto key = ReadFile(ca_key_path);
    if (!key) return Unexpected(key.error());
    ca = {.cert = std::move(*cert), .key = std::move(*key)};
    report += "kept the CA in " + ca_path.string() + "\n";
  }
  // The server certificate first: a CA that cannot sign is never written.
  if (!have_ca) {
    // A random suffix: two CAs made on one machine never share a name in a trust store.
    auto made = certs::MakeCa("tginvite local CA " + crypto::RandomBase64Url(8), kCaDays);
    if (!made) return Unexpected(made.error());
    ca = std::move(*made);
  }
  auto cert = certs::IssueServerCert(ca, names, kCertDays);
  if (!cert) return Unexpected(cert.error());
  if (!have_ca) {
    if (Status st = WriteFile(ca_key_path, ca.key, 0600); !st) return Unexpected(st.error());
    if (Status st = WriteFile(ca_path, ca.cert, 0644); !st) return Unexpected(st.error());
    report += "made a new CA: " + ca_path.string() + " (trust this one in the bot) and " +
              ca_key_path.string() + " (keep it private)\n";
  }
  const fs::path cert_path = folder / "cert.pem";
  const fs::path key_path = folder / "key.pem";
  if (Status st = WriteFile(key_path, cert->key, 0600); !st) return Unexpected(st.error());
  if (Status st = WriteFile(cert_path, cert->cert, 0644); !st) return Unexpected(st.error());
  report += "made " + cert_path.string() + " and " + key_path.string() + " for " + Joined(names) +
            " (valid " + std::to_string(kCertDays) + " days)\n";
  report += "serve it with: tginvited --tls-cert " + cert_path.string() + " --tls-key " +
            key_path.string() + " ...\n";
  return report;
}

}  // namespace tgi::server
