#include "fake_server.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace tginvite::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

FakeConnection::FakeConnection(FakeServer& server, tcp::socket socket, int index)
    : server_(server), socket_(std::move(socket)), index_(index) {}

std::optional<std::string> FakeConnection::ReadRequest() {
  char chunk[4096];
  boost::system::error_code ec;
  auto fill = [&]() -> bool {
    if (!socket_.is_open()) return false;
    const std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
    if (ec || n == 0) return false;
    pending_.append(chunk, n);
    return true;
  };
  std::size_t head_end;
  while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return std::nullopt;
  }
  head_end += 4;
  std::string head = pending_.substr(0, head_end);
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t length = 0;
  if (const std::size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
    length = std::stoul(lower.substr(at + 17));
  }
  while (pending_.size() < head_end + length) {
    if (!fill()) return std::nullopt;
  }
  std::string request = pending_.substr(0, head_end + length);
  pending_.erase(0, head_end + length);
  server_.Record(request);
  return request;
}

void FakeConnection::Write(std::string_view bytes) {
  if (!socket_.is_open()) return;
  boost::system::error_code ec;
  asio::write(socket_, asio::buffer(bytes.data(), bytes.size()), ec);
}

void FakeConnection::Close() {
  std::lock_guard lock(server_.mu_);
  if (!socket_.is_open()) return;
  auto& fds = server_.open_fds_;
  fds.erase(std::remove(fds.begin(), fds.end(), socket_.native_handle()), fds.end());
  boost::system::error_code ec;
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

void FakeConnection::WaitForStop() {
  std::unique_lock lock(server_.mu_);
  server_.stop_cv_.wait(lock, [&] { return server_.stopping(); });
}

FakeServer::FakeServer(Serve serve)
    : serve_(std::move(serve)),
      acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeServer::~FakeServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  // Wake the blocking accept with one last connection.
  {
    boost::system::error_code ec;
    tcp::socket waker(ioc_);
    waker.connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)), ec);
    accept_thread_.join();
  }
  {
    std::lock_guard lock(mu_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& t : threads_) t.join();
}

std::string FakeServer::url() const {
  std::string out = "http://127.0.0.1:";
  out.append(std::to_string(port_));
  return out;
}

std::vector<std::string> FakeServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeServer::Record(std::string request) {
  std::lock_guard lock(mu_);
  requests_.push_back(std::move(request));
}

void FakeServer::AcceptLoop() {
  for (int index = 0;; ++index) {
    boost::system::error_code ec;
    tcp::socket socket(ioc_);
    acceptor_.accept(socket, ec);
    if (stopping() || ec) return;
    ++accepted_;
    std::lock_guard lock(mu_);
    open_fds_.push_back(socket.native_handle());
    threads_.emplace_back([this, s = std::move(socket), index]() mutable {
      FakeConnection connection(*this, std::move(s), index);
      serve_(connection);
      connection.Close();
    });
  }
}

std::string JsonAnswer(std::string_view json, int status, bool close) {
  std::string out = "HTTP/1.1 ";
  out.append(std::to_string(status));
  out.append(status == 200 ? " OK" : " Error");
  out.append("\r\nContent-Type: application/json\r\nContent-Length: ");
  out.append(std::to_string(json.size()));
  out.append(close ? "\r\nConnection: close" : "\r\nConnection: keep-alive");
  out.append("\r\n\r\n");
  out.append(json);
  return out;
}

TestCertificate::TestCertificate() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tginvite-tls-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  cert_file_ = dir_ / "cert.pem";
  key_file_ = dir_ / "key.pem";

  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  if (!key || !cert) throw std::runtime_error("OpenSSL: cannot make a key");
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) throw std::runtime_error("OpenSSL: cannot make an extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert, key, EVP_sha256()) == 0) throw std::runtime_error("OpenSSL: sign failed");

  FILE* f = std::fopen(cert_file_.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(key_file_.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

TestCertificate::~TestCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace tginvite::testing
