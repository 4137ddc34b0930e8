#include "notify/notifier.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "demo/demo_district.h"
#include "notify/notification.h"
#include "store/sqlite_store.h"

namespace cairn {
namespace {

// Keeps what it was given; fails while `failures` > 0.
class FakeMailer final : public Mailer {
 public:
  Status Send(const EmailMessage& message) override {
    if (failures > 0) {
      --failures;
      return Status::Unavailable("smtp: connection refused");
    }
    sent.push_back(message);
    return Status::Ok();
  }
  std::vector<EmailMessage> sent;
  int failures = 0;
};

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("cairn-notify-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    auto store = SqliteStore::Open(path_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto service = CairnService::Open(std::move(store).value(), SystemClock());
    ASSERT_TRUE(service.ok());
    service_ = std::move(service).value();
    ASSERT_TRUE(GenerateDemoDistrict(*service_, {12, 7, 1}).ok());
    auto roster = service_->store().LoadRoster();
    ASSERT_TRUE(roster.ok());
    roster_ = std::move(roster).value();
    for (const GuardianLink& link : roster_.guardian_links) {
      const Person* s = roster_.FindPerson(link.student_id);
      if (s && !s->email.empty()) {
        student_ = s;
        guardian_ = roster_.FindPerson(link.guardian_id);
        break;
      }
    }
    for (const Person& p : roster_.people) {
      if (p.role == PersonRole::kTeacher) teacher_ = &p;
    }
    ASSERT_TRUE(student_ && guardian_ && teacher_);
  }
  void TearDown() override {
    service_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  Notifier Make(Store& store, Mailer* mailer) {
    NotifierOptions options;
    options.public_url = "https://cairn.test";
    options.mail_from = "cairn@district.test";
    return Notifier(store, mailer, options, [this] { return now_; });
  }

  void Rate(const std::string& note) {
    const Cpe& cpe = service_->catalog().badges.front().cpes.front();
    RatingInput in;
    in.student = student_->sourced_id;
    in.cpe_id = cpe.id;
    in.level_id = "proficient";
    in.demonstrated_on = FormatDate(DayOf(SystemClock()()));
    in.recorded_by = teacher_->sourced_id;
    in.note = note;
    auto r = service_->RecordRating(in);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }

  std::vector<StoredNotification> FeedOf(const Person& p) {
    auto feed = service_->store().NotificationsFor(p.id, 50);
    EXPECT_TRUE(feed.ok());
    return feed.ok() ? *feed : std::vector<StoredNotification>{};
  }

  std::string path_;
  std::unique_ptr<CairnService> service_;
  Roster roster_;
  const Person* student_ = nullptr;
  const Person* guardian_ = nullptr;
  const Person* teacher_ = nullptr;
  Instant now_ = 1'800'000'000;
};

TEST_F(NotifierTest, TheFirstCollectTellsNobodyAboutHistoryThenEachNewFactOnce) {
  Notifier n = Make(service_->store(), nullptr);
  const Catalog& catalog = service_->catalog();
  auto first = n.Collect(roster_, catalog);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(*first, 0);
  EXPECT_TRUE(FeedOf(*student_).empty());

  Rate("Check the sign when you divide by a negative.");
  Rate("");  // no note: nothing to tell
  auto second = n.Collect(roster_, catalog);
  ASSERT_TRUE(second.ok());
  EXPECT_GE(*second, 2);  // the student and at least one guardian
  auto feed = FeedOf(*student_);
  ASSERT_EQ(feed.size(), 1u);
  EXPECT_EQ(feed[0].kind, "feedback");
  EXPECT_EQ(FeedOf(*guardian_).size(), 1u);
  EXPECT_EQ(*n.Collect(roster_, catalog), 0);

  // A second notifier (another server) deriving the same facts adds nothing.
  ASSERT_TRUE(service_->store().PutNotifierMarks({{"rating", 0}}).ok());
  auto again = Make(service_->store(), nullptr).Collect(roster_, catalog);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(FeedOf(*student_).size(), 1u);
}

TEST_F(NotifierTest, ABacklogLongerThanOnePageIsAllDerived) {
  NotifierOptions options;
  options.batch = 2;  // pages of 10 portfolio events
  Notifier n(service_->store(), nullptr, options, [this] { return now_; });
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  Store& s = service_->store();
  auto sub = s.InsertSubmission({0, student_->id, "M101", "Backlog", student_->id, now_});
  ASSERT_TRUE(sub.ok());
  for (int i = 0; i < 25; ++i) {
    PortfolioEvent e;
    e.submission_id = *sub;
    e.kind = PortfolioEventKind::kFeedback;
    e.actor = teacher_->id;
    e.at = now_;
    e.message = "Note " + std::to_string(i);
    ASSERT_TRUE(s.AppendPortfolioEvent(e).ok());
  }
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  EXPECT_EQ(FeedOf(*student_).size(), 25u);
}

TEST_F(NotifierTest, EmailsGoOnceInTheReadersLanguageWithAnUnsubscribeLinkThatWorks) {
  FakeMailer mailer;
  Notifier n = Make(service_->store(), &mailer);
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  Preferences es;
  es.language = "es";
  ASSERT_TRUE(SavePreferences(service_->store(), *guardian_, es, guardian_->id, now_).ok());
  Rate("Muy bien explicado.");
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  auto sent = n.SendDue(roster_);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  const EmailMessage* to_student = nullptr;
  const EmailMessage* to_guardian = nullptr;
  for (const EmailMessage& m : mailer.sent) {
    if (m.to == student_->email) to_student = &m;
    if (m.to == guardian_->email) to_guardian = &m;
  }
  ASSERT_TRUE(to_student && to_guardian);
  EXPECT_EQ(to_student->subject.rfind("New feedback on ", 0), 0u) << to_student->subject;
  EXPECT_NE(to_student->text.find("https://cairn.test/me/badges/"), std::string::npos);
  EXPECT_EQ(to_guardian->subject.rfind("Nuevos comentarios para ", 0), 0u) << to_guardian->subject;
  EXPECT_EQ(to_guardian->language, "es");
  EXPECT_NE(to_guardian->text.find("Muy bien explicado."), std::string::npos);

  // Nothing goes twice.
  const std::size_t count = mailer.sent.size();
  ASSERT_TRUE(n.SendDue(roster_).ok());
  ASSERT_TRUE(Make(service_->store(), &mailer).SendDue(roster_).ok());
  EXPECT_EQ(mailer.sent.size(), count);

  // The link's token turns email off, without signing in; a forged one does not.
  const std::string url = to_guardian->unsubscribe_url;
  const std::string token = url.substr(url.find("token=") + 6);
  EXPECT_EQ(CheckUnsubscribeToken(token + "x", roster_, service_->store()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(CheckUnsubscribeToken("1.abc", roster_, service_->store()).status().code(),
            StatusCode::kNotFound);
  auto who = CheckUnsubscribeToken(token, roster_, service_->store());
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(*who, guardian_->id);
}

TEST_F(NotifierTest, AFailedSendIsRetriedWithTheSameMessageIdAndAnInterruptedOneAfterItsLease) {
  FakeMailer mailer;
  Notifier n = Make(service_->store(), &mailer);
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  Rate("Try the second method.");
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  const Id id = FeedOf(*student_).front().id;

  mailer.failures = 1000;
  ASSERT_TRUE(n.SendDue(roster_).ok());
  EXPECT_TRUE(mailer.sent.empty());
  mailer.failures = 0;
  ASSERT_TRUE(n.SendDue(roster_).ok());  // too soon: backing off
  EXPECT_TRUE(mailer.sent.empty());
  now_ += 61;
  ASSERT_TRUE(n.SendDue(roster_).ok());
  ASSERT_FALSE(mailer.sent.empty());
  for (const EmailMessage& m : mailer.sent) {
    if (m.to == student_->email) {
      EXPECT_EQ(m.message_id, "<n" + std::to_string(id) + "@cairn>");
    }
  }

  // A sender that died after claiming: the claim waits out its lease.
  Rate("Another note.");
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  const Id next = FeedOf(*student_).front().id;
  ASSERT_TRUE(service_->store().AppendDeliverySteps({{next, "claim", 1, now_, ""}}).ok());
  mailer.sent.clear();
  ASSERT_TRUE(Make(service_->store(), &mailer).SendDue(roster_).ok());
  for (const EmailMessage& m : mailer.sent) EXPECT_NE(m.to, student_->email);
  now_ += DeliveryPolicy{}.lease;
  ASSERT_TRUE(Make(service_->store(), &mailer).SendDue(roster_).ok());
  int to_student = 0;
  for (const EmailMessage& m : mailer.sent) to_student += m.to == student_->email;
  EXPECT_EQ(to_student, 1);
}

TEST_F(NotifierTest, TwoSendersOnTwoConnectionsSendEachEmailOnce) {
  auto other = SqliteStore::Open(path_);
  ASSERT_TRUE(other.ok());
  FakeMailer mailer;
  Notifier a = Make(service_->store(), &mailer);
  Notifier b = Make(**other, &mailer);
  ASSERT_TRUE(a.Collect(roster_, service_->catalog()).ok());
  for (int i = 0; i < 5; ++i) Rate("Note " + std::to_string(i));
  ASSERT_TRUE(a.Collect(roster_, service_->catalog()).ok());
  ASSERT_TRUE(b.Collect(roster_, service_->catalog()).ok());
  ASSERT_TRUE(a.SendDue(roster_).ok());
  ASSERT_TRUE(b.SendDue(roster_).ok());
  std::map<std::string, int> ids;
  for (const EmailMessage& m : mailer.sent) ++ids[m.message_id];
  EXPECT_GE(ids.size(), 10u);
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << id;
}

TEST_F(NotifierTest, DigestReadersGetOneWeeklyEmailAndOffMeansNone) {
  FakeMailer mailer;
  Notifier n = Make(service_->store(), &mailer);
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  Preferences digest, off;
  digest.email = EmailMode::kDigest;
  off.email = EmailMode::kOff;
  ASSERT_TRUE(SavePreferences(service_->store(), *student_, digest, student_->id, now_).ok());
  ASSERT_TRUE(SavePreferences(service_->store(), *guardian_, off, guardian_->id, now_).ok());
  Rate("First.");
  Rate("Second.");
  ASSERT_TRUE(n.Collect(roster_, service_->catalog()).ok());
  ASSERT_TRUE(n.SendDue(roster_).ok());
  for (const EmailMessage& m : mailer.sent) {
    EXPECT_NE(m.to, student_->email);
    EXPECT_NE(m.to, guardian_->email);
  }
  // The first automatic run only starts the week.
  EXPECT_EQ(*n.SendDigests(roster_, false), 0);
  now_ += 7 * 24 * 3600;
  ASSERT_TRUE(n.SendDigests(roster_, false).ok());
  int digests = 0;
  for (const EmailMessage& m : mailer.sent) {
    if (m.to != student_->email) continue;
    ++digests;
    EXPECT_EQ(m.subject, "Your weekly Cairn summary: 2 updates");
    EXPECT_NE(m.text.find("First."), std::string::npos);
    EXPECT_NE(m.text.find("Second."), std::string::npos);
  }
  EXPECT_EQ(digests, 1);
  ASSERT_TRUE(n.SendDigests(roster_, true).ok());
  int after = 0;
  for (const EmailMessage& m : mailer.sent) after += m.to == student_->email;
  EXPECT_EQ(after, 1);
}

TEST(NotificationTest, ARevisionRequestTellsOnlyTheStudentWithALinkToTheWork) {
  Roster roster;
  Person s, g, t;
  s.id = 1, s.role = PersonRole::kStudent, s.given_name = "Maya", s.district_id = 1;
  g.id = 2, g.role = PersonRole::kGuardian, g.district_id = 1;
  t.id = 3, t.role = PersonRole::kTeacher, t.given_name = "Ana", t.family_name = "Lee";
  roster.people = {s, g, t};
  roster.guardian_links = {{2, 1, "parent"}};
  roster.Index();
  Catalog catalog;
  PortfolioEvent revision;
  revision.id = 9;
  revision.submission_id = 4;
  revision.kind = PortfolioEventKind::kRequestRevision;
  revision.actor = 3;
  revision.message = "Show your steps.";
  std::vector<std::pair<PortfolioEvent, Id>> events{{revision, 1}};
  auto out = DeriveFromPortfolio(events, catalog, AudienceOf(roster),
                                 {{4, {"Slope poster", "M101"}}}, 100);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].recipient_id, 1);
  EXPECT_EQ(out[0].kind, "revision_requested");
  RenderedNotification en = RenderNotification(out[0], s, "en");
  EXPECT_EQ(en.title, "Ana Lee asked you to revise \u201cSlope poster\u201d");
  EXPECT_EQ(en.link, "/me/portfolio/4");
  RenderedNotification es = RenderNotification(out[0], s, "es");
  EXPECT_EQ(es.title, "Ana Lee te pide revisar \u201cSlope poster\u201d");
}

}  // namespace
}  // namespace cairn
