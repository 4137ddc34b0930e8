// Who may sign in, and the invitation links that give imported people their
// sign-in: the district's sign-in policy (which roles), inviting a role or
// some people, listing and revoking invitations (administrators), and the
// two public steps an invitee takes (look at the link, accept it).
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class InvitationHandlers {
 public:
  explicit InvitationHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<InvitationHandlers>> Routes();

 private:
  HttpResponse GetSignIn(RequestContext& ctx);
  HttpResponse PutSignIn(RequestContext& ctx);
  HttpResponse CreateInvitations(RequestContext& ctx);
  HttpResponse ListInvitations(RequestContext& ctx);
  HttpResponse RevokeInvitation(RequestContext& ctx);
  HttpResponse LookUpInvitation(RequestContext& ctx);
  HttpResponse AcceptInvitation(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
