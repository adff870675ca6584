// tginvite::Client: parameters to a JSON body, the call through HttpTransport, the envelope and
// the typed result back (decode.cc), and the two policies on top: 429 retries and following a
// basic group's migration. Every Error leaves through Impl::Invoke's scrubbing, so the token
// never reaches a caller's logs.
#include "tginvite/client.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "api_url.h"
#include "decode.h"
#include "errors.h"
#include "http_transport.h"

namespace tginvite {

namespace json = boost::json;
using client_internal::Cat;
using client_internal::HttpReply;
using client_internal::TransportError;

namespace {

json::value ChatIdValue(const ChatId& chat) {
  if (chat.is_id()) return json::value(chat.id());
  return json::value(chat.username());
}

void PutLinkParams(json::object& params, const CreateLinkParams& p) {
  if (p.name) params["name"] = *p.name;
  if (p.expire_date) params["expire_date"] = *p.expire_date;
  if (p.member_limit) params["member_limit"] = *p.member_limit;
  if (p.creates_join_request) params["creates_join_request"] = *p.creates_join_request;
}

// A successful call: `result` and the HTTP status it came with (for kBadReply errors).
struct Answer {
  json::value result;
  int http_status = 200;
};

}  // namespace

struct Client::Impl {
  Impl(std::string t, ClientOptions o) : token(std::move(t)), options(std::move(o)), scrub(token) {
    Result<client_internal::ApiUrl> url = client_internal::ParseApiUrl(options.api_url);
    if (!url.ok()) {
      url_error = scrub.Scrub(url.error());
      return;
    }
    target_prefix = Cat({url->path_prefix, "/bot", client_internal::EncodePathSegment(token), "/"});
    try {
      transport.emplace(*url, client_internal::TransportOptions{
                                  .connect_timeout = options.connect_timeout,
                                  .request_timeout = options.request_timeout,
                                  .ca_file = options.ca_file,
                              });
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      // A constructor cannot return an Error: every call will (an io_context could not be made).
      url_error = scrub.Scrub(TransportError(Error::Transport::kConnect,
                                             Cat({"cannot set up networking: ", e.what()})));
    }
  }

  std::string token;
  ClientOptions options;
  client_internal::Scrubber scrub;
  std::optional<Error> url_error;  // or any other setup error: every call answers it
  std::string target_prefix;       // holds the token: never put it in an Error
  std::optional<client_internal::HttpTransport> transport;

  // Sends `body` to `method`. With `params` (the body as an object, having a "chat_id"), a refusal
  // with migrate_to_chat_id is sent once more to the new chat when options say so.
  Result<Answer> Invoke(std::string_view method, std::string body, json::object* params) {
    if (url_error) return *url_error;
    const std::string target = Cat({target_prefix, client_internal::EncodePathSegment(method)});
    int retries = 0;
    bool migrated = false;
    for (;;) {
      Result<HttpReply> reply = transport->Post(target, body);
      if (!reply.ok()) return scrub.Scrub(reply.error());
      Result<json::value> result = client_internal::DecodeEnvelope(*reply);
      if (result.ok()) return Answer{std::move(result).value(), reply->status};
      Error error = scrub.Scrub(result.error());
      if (!error.is_api()) return error;

      if (error.error_code == 429 && error.retry_after && retries < options.max_429_retries) {
        const std::chrono::seconds wait{std::max(0, *error.retry_after)};
        if (wait <= options.max_retry_wait) {
          if (options.on_retry) options.on_retry(error, wait);
          std::this_thread::sleep_for(wait);
          ++retries;
          continue;
        }
      }
      if (error.migrate_to_chat_id && options.follow_migration && params && !migrated &&
          params->contains("chat_id")) {
        (*params)["chat_id"] = *error.migrate_to_chat_id;
        body = json::serialize(*params);
        migrated = true;
        continue;
      }
      return error;
    }
  }

  // A typed method: its parameters as an object (sent as JSON), the result through `decode`.
  template <class T, class Decode>
  Result<T> Typed(std::string_view method, json::object params, Decode decode) {
    std::string body = json::serialize(params);
    Result<Answer> answer =
        Invoke(method, std::move(body), params.contains("chat_id") ? &params : nullptr);
    if (!answer.ok()) return answer.error();
    Result<T> decoded = decode(answer->result, method, answer->http_status);
    if (!decoded.ok()) return scrub.Scrub(decoded.error());
    return decoded;
  }
};

namespace {

Error MovedFrom() {
  return TransportError(Error::Transport::kClosed, "this Client was moved from");
}

Error Internal(const std::exception& e) {
  return TransportError(Error::Transport::kClosed, Cat({"internal error: ", e.what()}));
}

// Every public call runs through Guarded: no exception but std::bad_alloc leaves the library.
template <class T, class ImplT, class F>
Result<T> Guarded(ImplT* impl, F&& call) {
  if (!impl) return MovedFrom();
  try {
    return call();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return impl->scrub.Scrub(Internal(e));
  }
}

}  // namespace

Client::Client(std::string token, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(token), std::move(options))) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const ClientOptions& Client::options() const {
  static const ClientOptions kDefaults;
  return impl_ ? impl_->options : kDefaults;
}

Result<User> Client::GetMe() {
  return Guarded<User>(impl_.get(), [&]() -> Result<User> {
    return impl_->Typed<User>("getMe", {}, client_internal::DecodeUser);
  });
}

Result<ChatFullInfo> Client::GetChat(const ChatId& chat) {
  return Guarded<ChatFullInfo>(impl_.get(), [&]() -> Result<ChatFullInfo> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    return impl_->Typed<ChatFullInfo>("getChat", std::move(params),
                                      client_internal::DecodeChatFullInfo);
  });
}

Result<std::string> Client::ExportChatInviteLink(const ChatId& chat) {
  return Guarded<std::string>(impl_.get(), [&]() -> Result<std::string> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    return impl_->Typed<std::string>("exportChatInviteLink", std::move(params),
                                     client_internal::DecodeString);
  });
}

Result<ChatInviteLink> Client::CreateChatInviteLink(const ChatId& chat,
                                                    const CreateLinkParams& link) {
  return Guarded<ChatInviteLink>(impl_.get(), [&]() -> Result<ChatInviteLink> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    PutLinkParams(params, link);
    return impl_->Typed<ChatInviteLink>("createChatInviteLink", std::move(params),
                                        client_internal::DecodeChatInviteLink);
  });
}

Result<ChatInviteLink> Client::EditChatInviteLink(const ChatId& chat, std::string_view invite_link,
                                                  const EditLinkParams& link) {
  return Guarded<ChatInviteLink>(impl_.get(), [&]() -> Result<ChatInviteLink> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    params["invite_link"] = invite_link;
    PutLinkParams(params, link);
    return impl_->Typed<ChatInviteLink>("editChatInviteLink", std::move(params),
                                        client_internal::DecodeChatInviteLink);
  });
}

Result<ChatInviteLink> Client::RevokeChatInviteLink(const ChatId& chat,
                                                    std::string_view invite_link) {
  return Guarded<ChatInviteLink>(impl_.get(), [&]() -> Result<ChatInviteLink> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    params["invite_link"] = invite_link;
    return impl_->Typed<ChatInviteLink>("revokeChatInviteLink", std::move(params),
                                        client_internal::DecodeChatInviteLink);
  });
}

Result<bool> Client::ApproveChatJoinRequest(const ChatId& chat, std::int64_t user_id) {
  return Guarded<bool>(impl_.get(), [&]() -> Result<bool> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    params["user_id"] = user_id;
    return impl_->Typed<bool>("approveChatJoinRequest", std::move(params),
                              client_internal::DecodeBool);
  });
}

Result<bool> Client::DeclineChatJoinRequest(const ChatId& chat, std::int64_t user_id) {
  return Guarded<bool>(impl_.get(), [&]() -> Result<bool> {
    json::object params;
    params["chat_id"] = ChatIdValue(chat);
    params["user_id"] = user_id;
    return impl_->Typed<bool>("declineChatJoinRequest", std::move(params),
                              client_internal::DecodeBool);
  });
}

Result<std::string> Client::Call(std::string_view method, std::string_view params_json) {
  return Guarded<std::string>(impl_.get(), [&]() -> Result<std::string> {
    // The text goes as it is (the server decides about what is not an object); it is parsed only
    // to find a "chat_id" for following a migration.
    std::string body = params_json.empty() ? std::string("{}") : std::string(params_json);
    boost::system::error_code ec;
    json::value parsed = json::parse(body, ec);
    json::object* params = nullptr;
    if (!ec && parsed.is_object() && parsed.get_object().contains("chat_id")) {
      params = &parsed.get_object();
    }
    Result<Answer> answer = impl_->Invoke(method, std::move(body), params);
    if (!answer.ok()) return answer.error();
    return json::serialize(answer->result);
  });
}

}  // namespace tginvite
