// English: the reference catalog. Every key here must be in es.ts too (its
// type, Catalog, says so). A plural message is {one, other} and is picked
// by the `count` variable; {name} placeholders are filled from the variables.
export type Entry = string | { one: string; other: string };

export const en = {
  // Language picker
  "lang.label": "Language / Idioma",
  "lang.saved": "Cairn now speaks English to you.",
  "lang.saveFailed": "Your language could not be saved: {message}",

  // Frame and navigation
  "frame.skip": "Skip to content",
  "frame.home": "Cairn home",
  "frame.footer": "Cairn · progress measured against learning goals, one step at a time.",
  "nav.main": "Main",
  "nav.myLearning": "My learning",
  "nav.myPlan": "My plan",
  "nav.myPortfolio": "My portfolio",
  "nav.peerReviews": "Peer reviews",
  "nav.myCredentials": "My credentials",
  "nav.myChildren": "My children",
  "nav.signOut": "Sign out",
  "role.student": "Student",
  "role.guardian": "Family",
  "boot.opening": "Opening Cairn…",

  // Sign-in page
  "login.title": "Sign in",
  "login.tagline": "Every badge is a stone on the path. See what you have mastered, and what comes next.",
  "login.intro": "Use the account your school gave you.",
  "login.expired": "Your session ended. Please sign in again.",
  "login.missing": "Enter your username and password.",
  "login.paused": "Sign-in paused",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.busy": "Signing in…",

  // Shared pieces
  "ui.loading": "Loading…",
  "ui.error": "Something went wrong",
  "ui.retry": "Try again",
  "ui.close": "Close",
  "ui.dismiss": "Dismiss message",
  "ui.breadcrumb": "Breadcrumb",
  "ui.noEvidence": "No evidence yet",
  "ui.ofMax": "{value} of {max}",
  "state.earned": "Earned",
  "state.in_progress": "In progress",
  "state.available": "Ready to start",
  "state.locked": "Locked",
  "award.confirmed": "Awarded",
  "award.confirmedOn": "Awarded on {date}",
  "award.proposed": "Award proposed, waiting for a teacher to confirm",
  "award.revoked": "Award withdrawn",
  "award.revokedWhy": "Award withdrawn: {reason}",
  "grade": "Grade {grade}",

  // The family page
  "children.title": "My children",
  "children.subtitle": "What your children are working on, what comes next, and how you can help at home.",
  "children.none": "No students are linked to your account yet",
  "children.noneHelp": "Ask your school to link your child to your account.",
  "children.conference": "{child}'s conference page and plan",
  "children.loadFailed": "This page could not load {child}'s badges just now.",
  "children.workingOn": "Working on",
  "children.notStarted": "{child} has not started a new badge yet.",
  "children.earned": "Badges earned",
  "children.noneEarned": "No badges yet. Each one shows a set of skills {child} has mastered.",
  "children.earnedOn": "earned {date}",
  "children.skillsShown": { one: "{done} of {count} skill shown", other: "{done} of {count} skills shown" },
  "children.help": "How to help at home:",

  // The next step, told to a family
  "next.confirming": "{child} has shown everything this badge asks for. A teacher is checking the work before awarding it.",
  "next.prerequisite": "Next: earn {title} first. This badge builds on it.",
  "next.again": "Next: show “{label}” again in another piece of work ({code}, skill {skill} of {of}).",
  "next.show": "Next: show {level} work on “{label}” ({code}, skill {skill} of {of}).",
  "next.evidence_kind": "Next: complete {kind} for this badge.",
  "next.keep_going": "Next: keep adding work to the portfolio with the teacher's feedback.",
  "next.kind.formative": "a practice check in class",
  "next.kind.summative": "an end-of-unit test or task",
  "next.kind.performance_task": "a longer project that uses the skills together",
  "next.kind.portfolio_item": "a finished piece of work for the portfolio",
  "next.kind.external_assessment": "an outside test",
  "next.kind.outside_school": "learning done outside school",

  // Portfolio states and shared work
  "ui.on": "On",
  "ui.off": "Off",
  "submission.draft": "Draft",
  "submission.submitted": "Submitted",
  "submission.in_review": "In review",
  "submission.revision_requested": "Revision requested",
  "submission.accepted": "Accepted",
  "shared.title": "Work shared with you",
  "shared.loadFailed": "The shared work could not be loaded.",
  "shared.none": "{child} has not shared any work yet. Students choose what to share from their portfolio.",
  "shared.all": "All of {child}'s shared work",
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof en;
export type Catalog = { [K in MessageKey]: Entry };
