// The baseline for bench/run.sh: the least an HTTP server built on the same library as tginvited
// (Boost.Beast over Asio, one io_context and one SO_REUSEPORT acceptor per thread, keep-alive)
// can do per request: read it, answer a fixed getMe-sized JSON body.
//
//   minimal_http_server PORT [THREADS]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr char kBody[] =
    R"({"ok":true,"result":{"id":7000000001,"is_bot":true,"first_name":"Invite Demo",)"
    R"("username":"invite_demo_bot","can_join_groups":true,"can_read_all_group_messages":false,)"
    R"("supports_inline_queries":false}})";

asio::awaitable<void> Serve(tcp::socket socket) {
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [ec, n] =
        co_await http::async_read(socket, buffer, req, asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::connection, "keep-alive");
    res.set(http::field::content_type, "application/json");
    res.body() = kBody;
    res.prepare_payload();
    res.keep_alive(req.keep_alive());
    auto [wec, wn] = co_await http::async_write(socket, res, asio::as_tuple(asio::use_awaitable));
    if (wec || !req.keep_alive()) co_return;
  }
}

asio::awaitable<void> Accept(tcp::acceptor acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), Serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: minimal_http_server PORT [THREADS]\n");
    return 2;
  }
  auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  int threads = argc > 2 ? std::atoi(argv[2]) : 2;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    auto ctx = std::make_unique<asio::io_context>(1);
    tcp::acceptor acceptor(*ctx);
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    int one = 1;
    ::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(*ctx, Accept(std::move(acceptor)), asio::detached);
    contexts.push_back(std::move(ctx));
  }
  std::fprintf(stderr, "listening on 127.0.0.1:%u\n", port);
  for (auto& ctx : contexts) workers.emplace_back([&ctx] { ctx->run(); });
  for (auto& w : workers) w.join();
}
