#include "botapi/errors.h"

#include <gtest/gtest.h>

namespace tgi::botapi {
namespace {

TEST(FromTdlibTest, AppliesThePrefixAndCaseRules) {
  struct Case {
    int code;
    const char* message;
    int want_code;
    const char* want;
  } cases[] = {
      {400, "Chat not found", 400, "Bad Request: chat not found"},
      {400, "CHAT_ADMIN_REQUIRED", 400, "Bad Request: CHAT_ADMIN_REQUIRED"},
      {403, "CHAT_WRITE_FORBIDDEN", 400, "Bad Request: CHAT_WRITE_FORBIDDEN"},
      {403, "Bot was kicked from the supergroup chat", 403,
       "Forbidden: bot was kicked from the supergroup chat"},
      {404, "Not enough rights", 400, "Bad Request: not enough rights"},
      {300, "Something", 400, "Bad Request: something"},
      {406, "Whatever", 400, "Bad Request: whatever"},
      {400, "INPUT_USER_DEACTIVATED", 403, "Forbidden: user is deactivated"},
      {400, "USER_IS_BLOCKED", 403, "Forbidden: bot was blocked by the user"},
      {400, "USER_ADMIN_INVALID", 400, "Bad Request: user is an administrator of the chat"},
      {400, "Bad Request: already prefixed", 400, "Bad Request: already prefixed"},
      {401, "Unauthorized", 401, "Unauthorized"},
      {500, "Restart", 500, "Internal Server Error: restart"},
      {400, "URL host is empty", 400, "Bad Request: URL host is empty"},
  };
  for (const auto& c : cases) {
    ApiError e = FromTdlib(c.code, c.message);
    EXPECT_EQ(e.code, c.want_code) << c.message;
    EXPECT_EQ(e.description, c.want) << c.message;
  }
}

TEST(FromTdlibTest, Reads429RetryAfter) {
  ApiError e = FromTdlib(429, "Too Many Requests: retry after 17");
  EXPECT_EQ(e.code, 429);
  EXPECT_EQ(e.retry_after, 17);
  EXPECT_EQ(FromTdlib(429, "Too Many Requests: retry after x").code, 500);
}

TEST(FromDomainTest, NamesTheChatKind) {
  using domain::ChatType;
  using domain::Err;
  EXPECT_EQ(FromDomain({Err::kBotKicked, ChatType::kChannel}).description,
            "Forbidden: bot was kicked from the channel chat");
  EXPECT_EQ(FromDomain({Err::kBotNotMember, ChatType::kGroup}).description,
            "Forbidden: bot is not a member of the group chat");
  EXPECT_EQ(FromDomain({Err::kNotEnoughRightsInviteLink}).description,
            "Bad Request: not enough rights to manage chat invite link");
  EXPECT_EQ(FromDomain({Err::kPrivateChatNoInvite}).description,
            "Bad Request: can't invite members to a private chat");
  ApiError up = FromDomain({Err::kGroupUpgraded, ChatType::kGroup, ChatId(-1001)});
  EXPECT_EQ(up.description, "Bad Request: group chat was upgraded to a supergroup chat");
  EXPECT_EQ(up.migrate_to_chat_id, -1001);
}

TEST(ErrorResponseTest, HasTheEnvelopeInOrder) {
  http::Response r = ErrorResponse(TooManyRequests(35));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body,
            R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35",)"
            R"("parameters":{"retry_after":35}})");
  ASSERT_EQ(r.extra_headers.size(), 1u);
  EXPECT_EQ(r.extra_headers[0].name, "Retry-After");
  EXPECT_EQ(r.extra_headers[0].value, "35");
  http::Response m = ErrorResponse(
      FromDomain({domain::Err::kGroupUpgraded, domain::ChatType::kGroup, ChatId(-1001234567890)}));
  EXPECT_EQ(m.body,
            R"({"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded )"
            R"(to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}})");
  EXPECT_TRUE(ErrorResponse(NotFound()).extra_headers.empty());
}

TEST(OkResponseTest, WrapsTheResult) {
  EXPECT_EQ(OkResponse("\"x\"").body, R"({"ok":true,"result":"x"})");
}

// The catalogue's fixed texts, as the reference words them (spec 1.3, 5.4, 5.5).
TEST(CatalogueTest, UpdateAndWebhookErrorsAndParameterErrors) {
  struct Case {
    ApiError e;
    int code;
    const char* description;
  } cases[] = {
      {ParameterEmpty("chat_id"), 400, "Bad Request: chat_id is empty"},
      {InvalidParameter("user_id"), 400, "Bad Request: invalid user_id specified"},
      {TerminatedByOtherGetUpdates(), 409,
       "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
       "is running"},
      {TerminatedBySetWebhook(), 409, "Conflict: terminated by setWebhook request"},
      {GetUpdatesWhileWebhookActive(), 409,
       "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
       "delete the webhook first"},
      {InvalidWebhookUrl(), 400, "Bad Request: invalid webhook URL specified"},
      {SecretTokenTooLong(), 400, "Bad Request: secret token is too long"},
      {SecretTokenUnallowedCharacters(), 400,
       "Bad Request: secret token contains unallowed characters"},
      {WebhookNotHttps(), 400,
       "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"},
      {WebhookPortNotAllowed(), 400,
       "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.e.code, c.code) << c.description;
    EXPECT_EQ(c.e.description, c.description);
  }
}

TEST(CatalogueTest, OkTrueWithDescription) {
  http::Response r = OkTrueWithDescription(kWebhookIsAlreadyDeleted);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"ok":true,"result":true,"description":"Webhook is already deleted"})");
}

TEST(CatalogueTest, MessageErrorsOfTheDomain) {
  using domain::DomainError;
  using domain::Err;
  auto of = [](Err kind, domain::MessageUseKind use = domain::MessageUseKind::kReply) {
    DomainError e{kind};
    e.use = use;
    return FromDomain(e);
  };
  struct Case {
    ApiError e;
    int code;
    const char* description;
  } cases[] = {
      {of(Err::kBotCantInitiateConversation), 403,
       "Forbidden: bot can't initiate conversation with a user"},
      {of(Err::kBotBlockedByUser), 403, "Forbidden: bot was blocked by the user"},
      {of(Err::kBannedFromChat), 400, "Bad Request: CHANNEL_PRIVATE"},
      {of(Err::kBotCantMessageBot), 403, "Forbidden: the bot can't send messages to the bot"},
      {of(Err::kNeedAdminRightsInChannel), 400,
       "Bad Request: need administrator rights in the channel chat"},
      {of(Err::kNotEnoughRightsToSendText), 400,
       "Bad Request: not enough rights to send text messages to the chat"},
      {of(Err::kMessageNotFound), 400, "Bad Request: message to be replied not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kEdit), 400,
       "Bad Request: message to edit not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kDelete), 400,
       "Bad Request: message to delete not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kForward), 400,
       "Bad Request: message to forward not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kCopy), 400,
       "Bad Request: message to copy not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kPin), 400,
       "Bad Request: message to pin not found"},
      {of(Err::kMessageNotFound, domain::MessageUseKind::kUnpin), 400,
       "Bad Request: message to unpin not found"},
      {of(Err::kNotEnoughRightsToPin), 400,
       "Bad Request: not enough rights to manage pinned messages in the chat"},
      {of(Err::kServiceMessageCantBePinned), 400, "Bad Request: service messages can't be pinned"},
      {of(Err::kBusinessConnectionNotFound), 400, "Bad Request: business connection not found"},
      {of(Err::kMessageCantBeEdited), 400, "Bad Request: message can't be edited"},
      {of(Err::kNoTextInMessage), 400, "Bad Request: there is no text in the message to edit"},
      {of(Err::kMessageNotModified), 400,
       "Bad Request: message is not modified: specified new message content and reply markup "
       "are exactly the same as a current content and reply markup of the message"},
      {of(Err::kMessageCantBeDeleted), 400, "Bad Request: message can't be deleted"},
      {of(Err::kMessageCantBeDeletedForEveryone), 400,
       "Bad Request: message can't be deleted for everyone"},
      {of(Err::kMessageCantBeForwarded), 400, "Bad Request: the message can't be forwarded"},
      {of(Err::kMessageCantBeCopied), 400, "Bad Request: the message can't be copied"},
      {of(Err::kProtectedContent), 400,
       "Bad Request: message has protected content and can't be forwarded"},
      {of(Err::kQueryIdInvalid), 400,
       "Bad Request: query is too old and response timeout expired or query ID is invalid"},
      {FromTdlib(400, "MESSAGE_DELETE_FORBIDDEN"), 400, "Bad Request: message can't be deleted"},
      {FromTdlib(400, "REPLY_MARKUP_TOO_LONG"), 400, "Bad Request: reply markup is too long"},
      {FromTdlib(400, "BUTTON_DATA_INVALID"), 400, "Bad Request: BUTTON_DATA_INVALID"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.e.code, c.code) << c.description;
    EXPECT_EQ(c.e.description, c.description);
  }
}

// banChatSenderChat / unbanChatSenderChat (bot-api-moderation.md 6.3, 1.3 step 8).
TEST(CatalogueTest, SenderChatErrors) {
  using domain::Err;
  auto of = [](Err kind) { return FromDomain(domain::DomainError{kind}); };
  struct Case {
    ApiError e;
    int code;
    const char* description;
  } cases[] = {
      {ParameterEmpty("sender_chat_id"), 400, "Bad Request: sender_chat_id is empty"},
      {NotAValidInteger("sender_chat_id"), 400,
       "Bad Request: sender_chat_id is not a valid Integer"},
      {of(Err::kInvalidChatIdentifier), 400, "Bad Request: invalid chat identifier specified"},
      {of(Err::kCantBanChatsInBasicGroups), 400, "Bad Request: can't ban chats in basic groups"},
      {of(Err::kMemberNotFound), 400, "Bad Request: member not found"},
      {of(Err::kCantRestrictTheChat), 400, "Bad Request: can't restrict the chat"},
      {of(Err::kCantBanInPrivate), 400, "Bad Request: can't ban members in private chats"},
      {of(Err::kStatusInPrivate), 400,
       "Bad Request: chat member status can't be changed in private chats"},
      {of(Err::kNotEnoughRightsToRestrict), 400,
       "Bad Request: not enough rights to restrict/unrestrict chat member"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.e.code, c.code) << c.description;
    EXPECT_EQ(c.e.description, c.description);
  }
}

}  // namespace
}  // namespace tgi::botapi
