// Moderation (spec bot-api-moderation.md): the permissions that govern who may send what.
#include "domain/world.h"

namespace tgi::domain {

Permissions World::EffectivePermissions(const Chat& chat, const Member* member) {
  if (!member) return Permissions{};
  switch (member->status) {
    case MemberStatus::kCreator:
    case MemberStatus::kAdministrator:
      return Permissions::All();
    case MemberStatus::kMember:
      return chat.permissions;
    case MemberStatus::kRestricted:
      return Permissions{member->permissions.bits & chat.permissions.bits};
    case MemberStatus::kLeft:
    case MemberStatus::kKicked:
      break;
  }
  return Permissions{};
}

}  // namespace tgi::domain
