// The message methods (spec bot-api-messages.md 2, 6.3, 7, 8.1): sendMessage, editMessageText,
// editMessageReplyMarkup, deleteMessage(s), forwardMessage, copyMessage, sendChatAction,
// answerCallbackQuery, and pinChatMessage, unpinChatMessage and unpinAllChatMessages. Each prepares
// what it can from the parameters outside the world lock, in the reference's order of checks, and
// leaves to its closure what needs the chat: the checks of spec 2.2 steps 9-15, in order, then the
// World's change.
#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "botapi/encode.h"
#include "botapi/message_args.h"
#include "botapi/methods.h"
#include "botapi/reply_markup.h"
#include "common/ascii.h"
#include "common/utf8.h"
#include "text/message_text.h"
#include "text/parse.h"

namespace tgi::botapi {
namespace {

using domain::MessageFlag;
using domain::MessageUse;

// The text library's parser, as message_args.h wants it: the errors are the bot's (spec 2.2
// step 5: UTF-8 first, then the parser's detail after "can't parse entities: ").
Result<text::FormattedText, ApiError> ParseMarkupForBot(std::string_view text, ParseMode mode) {
  text::ParseMode m = mode == ParseMode::kHtml         ? text::ParseMode::kHtml
                      : mode == ParseMode::kMarkdownV2 ? text::ParseMode::kMarkdownV2
                                                       : text::ParseMode::kMarkdown;
  if (!utf8::IsValid(text)) return Unexpected{FromTdlib(400, "Text must be encoded in UTF-8")};
  auto parsed = text::ParseMarkup(text, m);
  if (!parsed) return Unexpected{FromTdlib(400, "Can't parse entities: " + parsed.error())};
  return std::move(*parsed);
}

MarkupTarget::Chat MarkupChat(const domain::Target& t) {
  if (t.user) return MarkupTarget::Chat::kPrivate;
  return t.chat->type == domain::ChatType::kChannel ? MarkupTarget::Chat::kChannel
                                                    : MarkupTarget::Chat::kGroup;
}

uint32_t PreviewFlags(const LinkPreviewOptions& p) {
  uint32_t f = 0;
  auto set = [&](MessageFlag flag, bool on) {
    if (on) f |= static_cast<uint32_t>(flag);
  };
  set(MessageFlag::kPreviewDisabled, p.is_disabled);
  set(MessageFlag::kPreviewSmallMedia, p.prefer_small_media);
  set(MessageFlag::kPreviewLargeMedia, p.prefer_large_media);
  set(MessageFlag::kPreviewAboveText, p.show_above_text);
  return f;
}

// Step 9: every bot_username of a login_url button names a known bot.
Result<void, ApiError> CheckLoginUrlBots(const domain::World& world, const ReplyMarkup& markup) {
  for (const std::string& name : LoginUrlBotUsernames(markup)) {
    const domain::User* found = world.FindUserByUsername(name);
    if (!found || !found->is_bot) return Unexpected{BotNotFound(name)};
  }
  return {};
}

// Step 14's text part (TDLib's get_input_message_text): the parsed text normalised, with the
// entities the server finds. `too_long` is the error for more than 4096 characters.
Result<text::FormattedText, ApiError> FinishText(const TextArgs& args, ApiError too_long) {
  auto prepared = text::PrepareMessageText(args.text, std::nullopt, args.entities);
  if (!prepared) {
    if (prepared.error() == "Message is too long") return Unexpected{std::move(too_long)};
    return Unexpected{FromTdlib(400, prepared.error())};
  }
  return std::move(*prepared);
}

// What sendMessage, forwardMessage and copyMessage share once the target is resolved: the reply
// target (step 12) and write access (step 14), then the reply markup for the chat (14), then the
// server's refusals (15).
struct Outgoing {
  domain::ChatRef chat;
  ReplyParameters reply;
  ReplyMarkup markup;
  bool protect_content = false;
  bool disable_notification = false;
};

struct Resolved {
  domain::Target target;
  int64_t reply_to = 0;
  ReplyMarkup markup;
};

Result<Resolved, ApiError> ResolveOutgoing(MethodContext& c, const Outgoing& o) {
  if (auto bots = CheckLoginUrlBots(c.world, o.markup); !bots) return Unexpected{bots.error()};
  auto target = c.world.ResolveMessageChat(c.bot, o.chat, domain::MessageAccess::kWrite);
  if (!target) return Unexpected{FromDomain(target.error())};
  Resolved r{.target = *target};
  // Named decision: a reply_parameters.chat_id naming another chat is a reply to a message this
  // chat does not have (replies across chats, external_reply, are not modelled).
  bool other_chat = false;
  if (!o.reply.chat_id.empty()) {
    auto reply_chat = Args::ParseChatRef(o.reply.chat_id);
    other_chat = !reply_chat.id || *reply_chat.id != domain::World::TargetChatId(*target).value;
  }
  if (o.reply.message_id > 0) {
    if (other_chat) {
      if (!o.reply.allow_sending_without_reply)
        return Unexpected{FromDomain(domain::DomainError{.kind = domain::Err::kMessageNotFound})};
    } else {
      auto reply = c.world.CheckReplyTarget(c.bot, *target, o.reply.message_id,
                                            o.reply.allow_sending_without_reply);
      if (!reply) return Unexpected{FromDomain(reply.error())};
      r.reply_to = *reply;
    }
  }
  if (auto can = c.world.CheckCanSendText(c.bot, *target); !can)
    return Unexpected{FromDomain(can.error())};
  auto markup = CheckReplyMarkup(o.markup, MarkupTarget{.chat = MarkupChat(*target)});
  if (!markup) return Unexpected{markup.error()};
  r.markup = std::move(*markup);
  return r;
}

// Step 15: what the Telegram server itself refuses.
Result<void, ApiError> CheckAtServer(MethodContext& c, const Resolved& r) {
  if (r.target.user)
    if (auto reach = c.world.CheckCanReachUser(c.bot, *r.target.user, c.now); !reach)
      return Unexpected{FromDomain(reach.error())};
  return CheckReplyMarkupAtServer(r.markup, MarkupChat(r.target));
}

// Flood control (--flood-control, botapi/flood.h): the last check before a message is sent, so
// only a message that is sent counts.
Result<void, ApiError> CheckFlood(MethodContext& c, const Resolved& r) {
  if (!c.flood) return {};
  const domain::Chat* chat = r.target.chat;
  bool group = chat && (chat->type == domain::ChatType::kGroup ||
                        chat->type == domain::ChatType::kSupergroup);
  auto wait =
      c.flood->Admit(c.bot, domain::World::TargetChatId(r.target), group, c.now_ms, c.shared);
  if (wait) return Unexpected{TooManyRequests(*wait)};
  return {};
}

domain::NewMessage ContentOf(const Resolved& r, const Outgoing& o, text::FormattedText text) {
  domain::NewMessage m{.text = std::move(text), .reply_to = r.reply_to};
  m.inline_keyboard = EchoInlineKeyboard(r.markup);
  m.callback_data = CallbackData(r.markup);
  m.reply_keyboard = EncodeReplyKeyboard(r.markup);
  if (r.markup.kind != ReplyMarkup::Kind::kNone &&
      r.markup.kind != ReplyMarkup::Kind::kInlineKeyboard)
    m.flags |= static_cast<uint32_t>(MessageFlag::kHadReplyKeyboard);
  if (o.protect_content) m.flags |= static_cast<uint32_t>(MessageFlag::kProtectedContent);
  if (o.disable_notification) m.flags |= static_cast<uint32_t>(MessageFlag::kDisableNotification);
  return m;
}

http::Response MessageReply(MethodContext& c, const domain::Message& m, ReplyDepth depth) {
  JsonWriter w;
  WriteMessage(w, c.world, m, depth);
  return Ok(w);
}

// The sendMessage options shared with copyMessage: steps 6 and 8, read outside the lock.
Result<Outgoing, ApiError> ParseOutgoing(const Args& args) {
  Outgoing o;
  std::optional<std::string_view> reply_parameters;
  if (args.Has("reply_parameters")) reply_parameters = args.Get("reply_parameters");
  auto reply = ParseReplyParameters(reply_parameters, args.Get("reply_to_message_id"),
                                    args.Get("allow_sending_without_reply"), ParseMarkupForBot);
  if (!reply) return Unexpected{reply.error()};
  o.reply = std::move(*reply);
  auto markup = ParseReplyMarkup(args.Get("reply_markup"));
  if (!markup) return Unexpected{markup.error()};
  o.markup = std::move(*markup);
  auto chat = args.ChatRef();  // step 10 begins: "chat_id is empty"
  if (!chat) return Unexpected{chat.error()};
  o.chat = std::move(*chat);
  o.protect_content = args.Bool("protect_content");
  o.disable_notification = args.Bool("disable_notification");
  return o;
}

}  // namespace

Result<Prepared, ApiError> PrepareSendMessage(const Args& args) {
  auto preview = ParseLinkPreviewOptions(args.Get("link_preview_options"),
                                         args.Get("disable_web_page_preview"));
  if (!preview) return Unexpected{preview.error()};
  auto text = ParseMessageText(args.Get("text"), args.Get("parse_mode"), args.Get("entities"),
                               ParseMarkupForBot);
  if (!text) return Unexpected{text.error()};
  auto outgoing = ParseOutgoing(args);
  if (!outgoing) return Unexpected{outgoing.error()};
  return Prepared([o = std::move(*outgoing), text = std::move(*text),
                   preview = std::move(*preview)](MethodContext& c) {
    auto r = ResolveOutgoing(c, o);
    if (!r) return Err(r.error());
    auto finished = FinishText(text, FromTdlib(400, "Message is too long"));
    if (!finished) return Err(finished.error());
    if (auto may = c.world.CheckNotRestricted(c.bot, r->target); !may)
      return Err(FromDomain(may.error()));
    if (auto server = CheckAtServer(c, *r); !server) return Err(server.error());
    if (auto flood = CheckFlood(c, *r); !flood) return Err(flood.error());
    domain::NewMessage content = ContentOf(*r, o, std::move(*finished));
    content.flags |= PreviewFlags(preview);
    content.link_preview_url = preview.url;
    const domain::Message& sent =
        c.world.SendBotMessage(c.bot, r->target, std::move(content), c.now, c.mutation);
    return MessageReply(c, sent, ReplyDepth::kWithReply);
  });
}

Result<Prepared, ApiError> PrepareEditMessageText(const Args& args) {
  auto preview = ParseLinkPreviewOptions(args.Get("link_preview_options"),
                                         args.Get("disable_web_page_preview"));
  if (!preview) return Unexpected{preview.error()};
  auto text = ParseMessageText(args.Get("text"), args.Get("parse_mode"), args.Get("entities"),
                               ParseMarkupForBot);
  if (!text) return Unexpected{text.error()};
  auto markup = ParseReplyMarkup(args.Get("reply_markup"));
  if (!markup) return Unexpected{markup.error()};
  auto which = ParseEditedMessage(args.Get("chat_id"), args.Get("message_id"),
                                  args.Get("inline_message_id"));
  if (!which) return Unexpected{which.error()};
  return Prepared([text = std::move(*text), preview = std::move(*preview),
                   markup = std::move(*markup), which = std::move(*which)](MethodContext& c) {
    // Named decision: no message was sent in inline mode here, so no inline_message_id is known.
    if (which.is_inline) return Err(FromTdlib(400, "MESSAGE_ID_INVALID"));
    auto target = c.world.ResolveMessageChat(c.bot, Args::ParseChatRef(which.chat_id),
                                             domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto message = c.world.FindMessageFor(c.bot, *target, which.message_id, MessageUse::kEdit);
    if (!message) return Err(FromDomain(message.error()));
    if ((*message)->kind != domain::MessageKind::kText)
      return Err(FromDomain(domain::DomainError{domain::Err::kNoTextInMessage}));
    auto finished = FinishText(text, RawMessageTooLong());
    if (!finished) return Err(finished.error());
    auto checked =
        CheckReplyMarkup(markup, MarkupTarget{.chat = MarkupChat(*target), .edit = true});
    if (!checked) return Err(checked.error());
    if (auto server = CheckReplyMarkupAtServer(*checked, MarkupChat(*target)); !server)
      return Err(server.error());
    domain::MessageEdit edit{.text = std::move(*finished),
                             .preview_flags = PreviewFlags(preview),
                             .link_preview_url = preview.url,
                             .inline_keyboard = EchoInlineKeyboard(*checked),
                             .callback_data = CallbackData(*checked)};
    auto edited = c.world.EditBotMessage(c.bot, **message, edit, c.now, c.mutation);
    if (!edited) return Err(FromDomain(edited.error()));
    return MessageReply(c, **edited, ReplyDepth::kWithoutReply);
  });
}

Result<Prepared, ApiError> PrepareEditMessageReplyMarkup(const Args& args) {
  auto markup = ParseReplyMarkup(args.Get("reply_markup"));
  if (!markup) return Unexpected{markup.error()};
  auto which = ParseEditedMessage(args.Get("chat_id"), args.Get("message_id"),
                                  args.Get("inline_message_id"));
  if (!which) return Unexpected{which.error()};
  return Prepared([markup = std::move(*markup), which = std::move(*which)](MethodContext& c) {
    if (which.is_inline) return Err(FromTdlib(400, "MESSAGE_ID_INVALID"));
    auto target = c.world.ResolveMessageChat(c.bot, Args::ParseChatRef(which.chat_id),
                                             domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto message = c.world.FindMessageFor(c.bot, *target, which.message_id, MessageUse::kEdit);
    if (!message) return Err(FromDomain(message.error()));
    auto checked =
        CheckReplyMarkup(markup, MarkupTarget{.chat = MarkupChat(*target), .edit = true});
    if (!checked) return Err(checked.error());
    if (auto server = CheckReplyMarkupAtServer(*checked, MarkupChat(*target)); !server)
      return Err(server.error());
    domain::MessageEdit edit{.inline_keyboard = EchoInlineKeyboard(*checked),
                             .callback_data = CallbackData(*checked)};
    auto edited = c.world.EditBotMessage(c.bot, **message, edit, c.now, c.mutation);
    if (!edited) return Err(FromDomain(edited.error()));
    return MessageReply(c, **edited, ReplyDepth::kWithoutReply);
  });
}

Result<Prepared, ApiError> PrepareDeleteMessage(const Args& args) {
  if (args.Get("chat_id").empty()) return Unexpected{ChatIdNotSpecified()};
  int32_t id = ParseMessageId(args.Get("message_id"));
  if (id == 0) return Unexpected{MessageIdNotSpecified()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = std::move(*chat), id](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto message = c.world.FindMessageFor(c.bot, *target, id, MessageUse::kDelete);
    if (!message) return Err(FromDomain(message.error()));
    auto deleted = c.world.DeleteMessages(c.bot, *target, {id}, c.now, c.mutation);
    if (!deleted) return Err(FromDomain(deleted.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareDeleteMessages(const Args& args) {
  auto ids = ParseMessageIds(args.Get("message_ids"));
  if (!ids) return Unexpected{ids.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  std::vector<int64_t> wanted(ids->begin(), ids->end());
  return Prepared([chat = std::move(*chat), wanted = std::move(wanted)](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto deleted = c.world.DeleteMessages(c.bot, *target, wanted, c.now, c.mutation);
    if (!deleted) return Err(FromDomain(deleted.error()));
    return Ok(true);
  });
}

namespace {

// forwardMessage and copyMessage: the source message (spec 7.8, 7.9).
struct Source {
  domain::ChatRef chat;
  int32_t message_id = 0;
};

Result<Source, ApiError> ParseSource(const Args& args) {
  if (args.Get("from_chat_id").empty()) return Unexpected{FromChatIdRequired()};
  auto chat = args.ChatRef("from_chat_id");
  if (!chat) return Unexpected{chat.error()};
  return Source{.chat = std::move(*chat), .message_id = ParseMessageId(args.Get("message_id"))};
}

Result<const domain::Message*, ApiError> FindSource(MethodContext& c, const Source& s,
                                                    MessageUse use) {
  auto from = c.world.ResolveMessageChat(c.bot, s.chat, domain::MessageAccess::kRead);
  if (!from) return Unexpected{FromDomain(from.error())};
  auto message = c.world.FindMessageFor(c.bot, *from, s.message_id, use);
  if (!message) return Unexpected{FromDomain(message.error())};
  return *message;
}

}  // namespace

Result<Prepared, ApiError> PrepareForwardMessage(const Args& args) {
  auto source = ParseSource(args);
  if (!source) return Unexpected{source.error()};
  auto outgoing = ParseOutgoing(args);
  if (!outgoing) return Unexpected{outgoing.error()};
  // A forward carries no keyboard of its own.
  outgoing->markup = ReplyMarkup{};
  return Prepared([s = std::move(*source), o = std::move(*outgoing)](MethodContext& c) {
    auto original = FindSource(c, s, MessageUse::kForward);
    if (!original) return Err(original.error());
    const domain::Message m = **original;  // a copy: sending may move the message table
    auto r = ResolveOutgoing(c, o);
    if (!r) return Err(r.error());
    if (auto may = c.world.CheckNotRestricted(c.bot, r->target); !may)
      return Err(FromDomain(may.error()));
    if (auto server = CheckAtServer(c, *r); !server) return Err(server.error());
    if (auto flood = CheckFlood(c, *r); !flood) return Err(flood.error());
    domain::NewMessage content = ContentOf(*r, o, m.text);
    content.flags |= m.flags & (static_cast<uint32_t>(MessageFlag::kPreviewDisabled) |
                                static_cast<uint32_t>(MessageFlag::kPreviewSmallMedia) |
                                static_cast<uint32_t>(MessageFlag::kPreviewLargeMedia) |
                                static_cast<uint32_t>(MessageFlag::kPreviewAboveText));
    content.link_preview_url = m.link_preview_url;
    // The origin: a forwarded message keeps its first origin (spec 7.8).
    const domain::Chat* from_chat = m.chat.value < 0 ? c.world.FindChat(m.chat) : nullptr;
    if (m.forward_date) {
      content.forward_from = m.forward_from;
      content.forward_from_chat = m.forward_from_chat;
      content.forward_from_message_id = m.forward_from_message_id;
      content.forward_date = m.forward_date;
    } else if (from_chat && from_chat->type == domain::ChatType::kChannel) {
      content.forward_from_chat = m.chat;
      content.forward_from_message_id = m.id;
      content.forward_date = m.date;
    } else {
      content.forward_from = m.from;
      content.forward_date = m.date;
    }
    const domain::Message& sent =
        c.world.SendBotMessage(c.bot, r->target, std::move(content), c.now, c.mutation);
    return MessageReply(c, sent, ReplyDepth::kWithReply);
  });
}

Result<Prepared, ApiError> PrepareCopyMessage(const Args& args) {
  auto source = ParseSource(args);
  if (!source) return Unexpected{source.error()};
  auto outgoing = ParseOutgoing(args);
  if (!outgoing) return Unexpected{outgoing.error()};
  return Prepared([s = std::move(*source), o = std::move(*outgoing)](MethodContext& c) {
    auto original = FindSource(c, s, MessageUse::kCopy);
    if (!original) return Err(original.error());
    const domain::Message m = **original;
    auto r = ResolveOutgoing(c, o);
    if (!r) return Err(r.error());
    if (auto may = c.world.CheckNotRestricted(c.bot, r->target); !may)
      return Err(FromDomain(may.error()));
    if (auto server = CheckAtServer(c, *r); !server) return Err(server.error());
    if (auto flood = CheckFlood(c, *r); !flood) return Err(flood.error());
    domain::NewMessage content = ContentOf(*r, o, m.text);
    const domain::Message& sent =
        c.world.SendBotMessage(c.bot, r->target, std::move(content), c.now, c.mutation);
    // copyMessage answers a MessageId, not a Message (spec 7.9).
    JsonWriter w;
    w.BeginObject().Field("message_id", sent.id).EndObject();
    return Ok(w);
  });
}

Result<Prepared, ApiError> PrepareSendChatAction(const Args& args) {
  auto action = ParseChatAction(args.Get("action"));  // checked before the chat (spec 8.1)
  if (!action) return Unexpected{action.error()};
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = std::move(*chat)](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    // Channels and private chats with bots need no action: true, nothing shown.
    if (target->user && target->user->is_bot) return Ok(true);
    if (target->chat && target->chat->type == domain::ChatType::kChannel) return Ok(true);
    if (target->user)
      if (auto reach = c.world.CheckCanReachUser(c.bot, *target->user, c.now); !reach)
        return Err(FromDomain(reach.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareAnswerCallbackQuery(const Args& args) {
  CallbackAnswer answer = ParseCallbackAnswer(args);
  if (auto cleaned = CleanCallbackAnswer(answer); !cleaned) return Unexpected{cleaned.error()};
  return Prepared([answer = std::move(answer)](MethodContext& c) {
    if (auto q = c.world.CheckCallbackQuery(c.bot, answer.callback_query_id, c.now); !q)
      return Err(FromDomain(q.error()));
    if (auto server = CheckCallbackAnswerAtServer(answer); !server) return Err(server.error());
    // Named decision (spec 6.3): a url is allowed only as a t.me link that starts this bot.
    if (!answer.url.empty()) {
      const domain::User* me = c.world.FindUser(c.bot);
      std::string url = ascii::Lower(answer.url);
      std::string allowed = "https://t.me/" + ascii::Lower(me ? me->username : "") + "?start=";
      if (url.rfind(allowed, 0) != 0) return Err(CallbackUrlInvalid());
    }
    domain::CallbackAnswer a{.text = answer.text,
                             .show_alert = answer.show_alert,
                             .url = answer.url,
                             .cache_time = answer.cache_time};
    auto answered =
        c.world.AnswerCallbackQuery(c.bot, answer.callback_query_id, a, c.now, c.mutation);
    if (!answered) return Err(FromDomain(answered.error()));
    return Ok(true);
  });
}

namespace {

// Client::get_business_connection_chat_id: a business connection's chat_id must be an integer.
bool IsStrictInt64(std::string_view v) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && end == v.data() + v.size();
}

// pinChatMessage and unpinChatMessage with a business_connection_id: the chat identifier is
// checked, then the connection is looked up. Named decision: no business connections are
// modelled, so every one is unknown.
ApiError BusinessConnectionError(std::string_view chat_id) {
  if (chat_id.empty()) return BadRequest("Bad Request: chat identifier is empty");
  if (!IsStrictInt64(chat_id))
    return BadRequest("Bad Request: chat identifier must be a valid Integer");
  return FromDomain(domain::DomainError{domain::Err::kBusinessConnectionNotFound});
}

}  // namespace

// The reference reads chat_id, message_id (lenient; negative is 0, i.e. none) and
// disable_notification, then checks the chat with write access and the message
// ("message to pin not found"), then TDLib's can_pin_message: the right, then service messages.
Result<Prepared, ApiError> PreparePinChatMessage(const Args& args) {
  if (!args.Get("business_connection_id").empty())
    return Unexpected{BusinessConnectionError(args.Get("chat_id"))};
  const int32_t id = ParseMessageId(args.Get("message_id"));
  const bool disable_notification = args.Bool("disable_notification");
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = std::move(*chat), id, disable_notification](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto message = c.world.FindMessageFor(c.bot, *target, id, MessageUse::kPin);
    if (!message) return Err(FromDomain(message.error()));
    auto pinned =
        c.world.PinMessage(c.bot, *target, **message, disable_notification, c.now, c.mutation);
    if (!pinned) return Err(FromDomain(pinned.error()));
    return Ok(true);
  });
}

// Without a message_id (absent, 0, negative or not a number) the newest pinned message is
// unpinned: the reference asks TDLib for it, and any failure is "message to unpin not found".
Result<Prepared, ApiError> PrepareUnpinChatMessage(const Args& args) {
  if (!args.Get("business_connection_id").empty())
    return Unexpected{BusinessConnectionError(args.Get("chat_id"))};
  const int32_t id = ParseMessageId(args.Get("message_id"));
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = std::move(*chat), id](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    if (id == 0) {
      auto unpinned = c.world.UnpinNewestMessage(c.bot, *target, c.now, c.mutation);
      if (!unpinned) return Err(FromDomain(unpinned.error()));
      return Ok(true);
    }
    auto message = c.world.FindMessageFor(c.bot, *target, id, MessageUse::kUnpin);
    if (!message) return Err(FromDomain(message.error()));
    auto unpinned = c.world.UnpinMessage(c.bot, *target, **message, c.now, c.mutation);
    if (!unpinned) return Err(FromDomain(unpinned.error()));
    return Ok(true);
  });
}

Result<Prepared, ApiError> PrepareUnpinAllChatMessages(const Args& args) {
  auto chat = args.ChatRef();
  if (!chat) return Unexpected{chat.error()};
  return Prepared([chat = std::move(*chat)](MethodContext& c) {
    auto target = c.world.ResolveMessageChat(c.bot, chat, domain::MessageAccess::kWrite);
    if (!target) return Err(FromDomain(target.error()));
    auto unpinned = c.world.UnpinAllMessages(c.bot, *target, c.now, c.mutation);
    if (!unpinned) return Err(FromDomain(unpinned.error()));
    return Ok(true);
  });
}

}  // namespace tgi::botapi
