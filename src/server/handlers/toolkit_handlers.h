// Instruments, teams and rounds (issue #15): a leader puts staff in a team
// and opens a round of an instrument for it (a due date, anonymous or
// named); each member answers and may revise until the due date or until the
// leader closes the round; the leader sees the results (toolkit/round_results.h)
// and how each domain moved since the team's previous round of the same
// instrument.
//
// Access, decided on the record the path names:
// - /districts/{district}/...: the district's staff read its instruments;
//   its district leaders (and admins) see and make every team and round,
//   a school leader those of their own school's teams.
// - /rounds/{round}: the round's district and team are looked up from the
//   journal; its members and its team's leaders see it, only members answer,
//   only leaders see results and close it. Anyone else is refused (403).
//
// Storage (the journal, store/journal_store.h), per district:
// - stream "team", key = team id: {name, school, members (person ids)};
// - stream "round", key = round id: {instrument, team, label, due,
//   anonymous, status, previous, opened_by...}; closing appends a revision;
// - stream "round-response:<round id>": one document per respondent, each
//   revision a new entry (the newest is the answer).
//
// Anonymous rounds, and the trade-off chosen. The server must refuse a
// second answer from a member and let them revise theirs, so it needs a
// stable key per (round, member); nobody reading the database may turn that
// key back into a person. The key is HMAC-SHA256(round secret, round id ":"
// person id), where the round secret is 32 random bytes kept in the round
// document sealed with the server's master key (credentials/key_vault.h).
// The entry's recorder is withheld (0) and its time is cut to the day. So a
// copy of the database alone cannot link answers to people; whoever holds
// both the database and the master key (the server's operator) can, by
// trying every member: the price of one revisable answer per member. Route
// logs: answering is not audited (refusals are). Results of an anonymous
// round are shown only once it is closed or past its due date, so a leader
// watching them change after each answer cannot read one person's answers,
// and items with fewer than 3 answers are suppressed.
//
// Thread safety: like every handler group, one instance serves all threads;
// state lives in the store and the read model.
#pragma once

#include <vector>

#include "server/api_services.h"
#include "server/route.h"

namespace cairn {

class ToolkitHandlers {
 public:
  explicit ToolkitHandlers(ApiServices& services) : services_(services) {}
  static std::vector<GroupRoute<ToolkitHandlers>> Routes();

 private:
  HttpResponse ListInstruments(RequestContext& ctx);
  HttpResponse GetInstrument(RequestContext& ctx);
  HttpResponse ListStaff(RequestContext& ctx);
  HttpResponse ListTeams(RequestContext& ctx);
  HttpResponse CreateTeam(RequestContext& ctx);
  HttpResponse ListRounds(RequestContext& ctx);
  HttpResponse OpenRound(RequestContext& ctx);
  HttpResponse GetRound(RequestContext& ctx);
  HttpResponse PutMyResponse(RequestContext& ctx);
  HttpResponse Results(RequestContext& ctx);
  HttpResponse CloseRound(RequestContext& ctx);
  HttpResponse PutThemes(RequestContext& ctx);
  HttpResponse PutInstrument(RequestContext& ctx);
  HttpResponse MyRounds(RequestContext& ctx);

  ApiServices& services_;
};

}  // namespace cairn
