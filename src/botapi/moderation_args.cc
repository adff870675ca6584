#include "botapi/moderation_args.h"

#include <initializer_list>
#include <string>

#include "botapi/json_reader.h"

namespace tgi::botapi {
namespace {

using domain::Permission;
using domain::Permissions;

constexpr Permission kMedia[] = {Permission::kCanSendAudios,     Permission::kCanSendDocuments,
                                 Permission::kCanSendPhotos,     Permission::kCanSendVideos,
                                 Permission::kCanSendVideoNotes, Permission::kCanSendVoiceNotes};

void SetMedia(Permissions& p, bool on) {
  for (Permission m : kMedia) p.Set(m, on);
}

// The legacy flat parameters (4.4).
ParsedPermissions FromLegacy(const Args& args, bool independent) {
  bool messages = args.Bool("can_send_messages");
  bool media = args.Bool("can_send_media_messages");
  bool other = args.Bool("can_send_other_messages");
  bool previews = args.Bool("can_add_web_page_previews");
  if (other || previews) media = true;
  if (media && !independent) messages = true;
  bool all = messages && media && other && previews;
  Permissions p;
  p.Set(Permission::kCanSendMessages, messages);
  SetMedia(p, media);
  p.Set(Permission::kCanSendOtherMessages, other);
  p.Set(Permission::kCanAddWebPagePreviews, previews);
  for (Permission extra :
       {Permission::kCanSendPolls, Permission::kCanChangeInfo, Permission::kCanInviteUsers,
        Permission::kCanPinMessages, Permission::kCanManageTopics})
    p.Set(extra, all);
  p.Set(Permission::kCanEditTag, p.Has(Permission::kCanPinMessages));
  p.Set(Permission::kCanReactToMessages, messages);
  return ParsedPermissions{.permissions = p, .legacy_partial = !all};
}

}  // namespace

Result<ParsedPermissions, ApiError> ParseChatPermissions(const Args& args,
                                                         LegacyPermissions legacy) {
  const bool independent = args.Bool("use_independent_chat_permissions");
  std::string_view text = args.Get("permissions");
  if (text.empty()) {
    if (legacy == LegacyPermissions::kAllowed) return FromLegacy(args, independent);
    return ParsedPermissions{};  // 6.1: no permissions, everything forbidden
  }
  std::optional<JsonValue> json = DecodeJson(text);
  if (!json) return Unexpected{BadRequest("can't parse permissions JSON object")};
  if (json->type() != JsonType::kObject)
    return Unexpected{BadRequest("object expected as permissions")};
  const JsonObject& o = json->object();

  Permissions p;
  // Every field is read first, in the order of the reference, so the first ill-typed one wins.
  auto read = [&](const char* name) -> Result<bool, ApiError> {
    auto v = o.OptionalBool(name);
    if (!v) {
      std::string message = "can't parse chat permissions: ";
      message += v.error();
      return Unexpected{BadRequest(message)};
    }
    return *v;
  };
  struct Field {
    const char* name;
    bool value = false;
  };
  Field fields[] = {{"can_send_messages"},
                    {"can_send_media_messages"},
                    {"can_send_audios"},
                    {"can_send_documents"},
                    {"can_send_photos"},
                    {"can_send_videos"},
                    {"can_send_video_notes"},
                    {"can_send_voice_notes"},
                    {"can_send_polls"},
                    {"can_send_other_messages"},
                    {"can_add_web_page_previews"},
                    {"can_react_to_messages"},
                    {"can_edit_tag"},
                    {"can_change_info"},
                    {"can_invite_users"},
                    {"can_pin_messages"},
                    {"can_manage_topics"}};
  for (Field& f : fields) {
    auto v = read(f.name);
    if (!v) return Unexpected{v.error()};
    f.value = *v;
    if (auto perm = domain::PermissionFromName(f.name)) p.Set(*perm, f.value);
  }
  const bool media = fields[1].value;

  // The derived defaults, in the reference's order (4.3).
  if (!o.Has("can_manage_topics"))
    p.Set(Permission::kCanManageTopics, p.Has(Permission::kCanPinMessages));
  bool any_media_given = false;
  for (Permission m : kMedia)
    if (o.Has(domain::PermissionName(m))) any_media_given = true;
  if (!any_media_given) {
    SetMedia(p, media);
    if (media && !independent) p.Set(Permission::kCanSendMessages, true);
  }
  if (!o.Has("can_edit_tag")) p.Set(Permission::kCanEditTag, p.Has(Permission::kCanPinMessages));
  if (!o.Has("can_react_to_messages"))
    p.Set(Permission::kCanReactToMessages, p.Has(Permission::kCanSendMessages));
  if (!independent) {
    if (p.Has(Permission::kCanSendOtherMessages) || p.Has(Permission::kCanAddWebPagePreviews)) {
      SetMedia(p, true);
      p.Set(Permission::kCanSendMessages, true);
    }
    if (p.Has(Permission::kCanSendPolls)) p.Set(Permission::kCanSendMessages, true);
  }
  return ParsedPermissions{.permissions = p};
}

Result<int64_t, ApiError> ParseSenderChatId(const Args& args) {
  constexpr std::string_view kName = "sender_chat_id";
  std::string_view v = args.Get(kName);
  if (v.empty()) return Unexpected{ParameterEmpty(kName)};
  int64_t id = 0;
  // to_integer_safe parses leniently, then refuses any text the number does not print back as.
  if (!ParseExactInt64(v, &id) || std::to_string(id) != v)
    return Unexpected{NotAValidInteger(kName)};
  return id;
}

UnixTime NormalizeUntilDate(int64_t until_date, UnixTime now) {
  constexpr int64_t kMinSeconds = 30;
  constexpr int64_t kMaxSeconds = 366 * 86400;
  if (until_date < now + kMinSeconds || until_date > now + kMaxSeconds) return 0;
  return until_date;
}

}  // namespace tgi::botapi
