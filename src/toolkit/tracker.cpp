#include "toolkit/tracker.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

namespace cairn {

using nlohmann::json;

namespace {

const json* Member(const json& j, const char* name) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(name);
  return it == j.end() ? nullptr : &*it;
}

std::string StringAt(const json& j, const char* name, const std::string& path, bool required,
                     std::vector<FieldError>& errors) {
  const json* v = Member(j, name);
  if (!v) {
    if (required) errors.push_back({path + "." + name, "required text"});
    return "";
  }
  if (!v->is_string() || (required && v->get_ref<const std::string&>().empty())) {
    errors.push_back({path + "." + name, required ? "required, non-empty text" : "text"});
    return "";
  }
  return v->get<std::string>();
}

std::vector<std::string> StringsAt(const json& j, const char* name, const std::string& path,
                                   std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  const json* v = Member(j, name);
  if (!v) return out;
  if (!v->is_array()) {
    errors.push_back({path + "." + name, "an array of text"});
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string() || (*v)[i].get_ref<const std::string&>().empty()) {
      errors.push_back({path + "." + name + "[" + std::to_string(i) + "]", "non-empty text"});
    } else {
      out.push_back((*v)[i].get<std::string>());
    }
  }
  return out;
}

std::optional<TrackerColumnKind> ParseColumnKind(std::string_view s) {
  if (s == "text") return TrackerColumnKind::kText;
  if (s == "choice") return TrackerColumnKind::kChoice;
  if (s == "list") return TrackerColumnKind::kList;
  if (s == "report") return TrackerColumnKind::kReport;
  return std::nullopt;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The common columns every row has; a definition may not reuse their ids.
const std::set<std::string>& ReservedIds() {
  static const std::set<std::string> ids{"owner", "due", "status", "notes", "id"};
  return ids;
}

}  // namespace

std::string_view ColumnKindName(TrackerColumnKind kind) {
  switch (kind) {
    case TrackerColumnKind::kText:
      return "text";
    case TrackerColumnKind::kChoice:
      return "choice";
    case TrackerColumnKind::kList:
      return "list";
    case TrackerColumnKind::kReport:
      return "report";
  }
  return "text";
}

const TrackerColumn* TrackerDefinition::FindColumn(std::string_view column_id) const {
  for (const TrackerColumn& c : columns) {
    if (c.id == column_id) return &c;
  }
  return nullptr;
}

std::string_view RowStatusName(RowStatus status) {
  switch (status) {
    case RowStatus::kNotStarted:
      return "not started";
    case RowStatus::kInProgress:
      return "in progress";
    case RowStatus::kDone:
      return "done";
    case RowStatus::kDropped:
      return "dropped";
  }
  return "not started";
}

std::optional<RowStatus> ParseRowStatus(std::string_view name) {
  for (RowStatus s :
       {RowStatus::kNotStarted, RowStatus::kInProgress, RowStatus::kDone, RowStatus::kDropped}) {
    if (RowStatusName(s) == name) return s;
  }
  return std::nullopt;
}

const std::vector<TrackerReportLink>& TrackerReportLinks() {
  static const std::vector<TrackerReportLink> links{
      {"completion-by-school", "Badge completion by school", "school"},
      {"completion-by-badge", "Badge completion by badge", "badge"},
      {"completion-by-course", "Badge completion by course", "course"},
  };
  return links;
}

const TrackerReportLink* FindTrackerReportLink(std::string_view id) {
  for (const TrackerReportLink& l : TrackerReportLinks()) {
    if (l.id == id) return &l;
  }
  return nullptr;
}

Result<TrackerDefinition> ParseTrackerDefinition(std::string_view json_text,
                                                 std::string_view file) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidFields({{"$", "not a JSON object"}}, file);
  }
  std::vector<FieldError> errors;
  TrackerDefinition t;
  t.id = StringAt(doc, "id", "$", true, errors);
  if (!t.id.empty() && !ValidId(t.id)) {
    errors.push_back({"$.id", "lowercase letters, digits, - and _ (at most 64)"});
  }
  t.title = StringAt(doc, "title", "$", true, errors);
  t.template_name = StringAt(doc, "template", "$", true, errors);
  t.action = StringAt(doc, "action", "$", false, errors);
  t.description = StringAt(doc, "description", "$", false, errors);
  const json* step = Member(doc, "step");
  if (!step || !step->is_number_integer() || step->get<int>() < 1 || step->get<int>() > 4) {
    errors.push_back({"$.step", "required, the guide's step 1 to 4"});
  } else {
    t.step = step->get<int>();
  }
  const json* columns = Member(doc, "columns");
  if (!columns || !columns->is_array() || columns->empty()) {
    errors.push_back({"$.columns", "required, a non-empty array of columns"});
  } else {
    std::set<std::string> seen;
    bool has_required = false;
    for (std::size_t i = 0; i < columns->size(); ++i) {
      const json& c = (*columns)[i];
      const std::string path = "$.columns[" + std::to_string(i) + "]";
      if (!c.is_object()) {
        errors.push_back({path, "an object"});
        continue;
      }
      TrackerColumn col;
      col.id = StringAt(c, "id", path, true, errors);
      if (!col.id.empty() && !ValidId(col.id)) {
        errors.push_back({path + ".id", "lowercase letters, digits, - and _"});
      } else if (ReservedIds().count(col.id)) {
        errors.push_back({path + ".id", "\"" + col.id + "\" is a column every row has"});
      } else if (!col.id.empty() && !seen.insert(col.id).second) {
        errors.push_back({path + ".id", "\"" + col.id + "\" is used twice"});
      }
      col.label = StringAt(c, "label", path, true, errors);
      const std::string kind = StringAt(c, "kind", path, true, errors);
      if (auto k = ParseColumnKind(kind)) {
        col.kind = *k;
      } else if (!kind.empty()) {
        errors.push_back({path + ".kind", "one of text, choice, list, report"});
      }
      if (const json* r = Member(c, "required")) {
        if (!r->is_boolean()) {
          errors.push_back({path + ".required", "true or false"});
        } else {
          col.required = r->get<bool>();
        }
      }
      col.choices = StringsAt(c, "choices", path, errors);
      if (col.kind == TrackerColumnKind::kChoice && col.choices.empty()) {
        errors.push_back({path + ".choices", "a choice column lists its choices"});
      } else if (col.kind != TrackerColumnKind::kChoice && !col.choices.empty()) {
        errors.push_back({path + ".choices", "only a choice column has choices"});
      }
      has_required = has_required || col.required;
      t.columns.push_back(std::move(col));
    }
    if (!has_required) errors.push_back({"$.columns", "at least one column is required"});
  }
  t.questions_intro = StringAt(doc, "questions_intro", "$", false, errors);
  t.questions = StringsAt(doc, "questions", "$", errors);
  if (const json* g = Member(doc, "guiding_questions")) {
    if (!g->is_array()) {
      errors.push_back({"$.guiding_questions", "an array of {heading, questions}"});
    } else {
      for (std::size_t i = 0; i < g->size(); ++i) {
        const std::string path = "$.guiding_questions[" + std::to_string(i) + "]";
        GuidingQuestions q;
        q.heading = StringAt((*g)[i], "heading", path, true, errors);
        q.questions = StringsAt((*g)[i], "questions", path, errors);
        if (q.questions.empty()) errors.push_back({path + ".questions", "at least one question"});
        t.guiding_questions.push_back(std::move(q));
      }
    }
  }
  if (const json* ex = Member(doc, "examples")) {
    if (!ex->is_array()) {
      errors.push_back({"$.examples", "an array of rows"});
    } else {
      for (std::size_t i = 0; i < ex->size(); ++i) {
        const std::string path = "$.examples[" + std::to_string(i) + "]";
        if (!(*ex)[i].is_object()) {
          errors.push_back({path, "an object of column id to text"});
          continue;
        }
        std::map<std::string, std::string> row;
        for (const auto& [k, v] : (*ex)[i].items()) {
          if (!t.FindColumn(k)) {
            errors.push_back({path + "." + k, "no such column"});
          } else if (!v.is_string()) {
            errors.push_back({path + "." + k, "text"});
          } else {
            row[k] = v.get<std::string>();
          }
        }
        t.examples.push_back(std::move(row));
      }
    }
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors), file);
  return t;
}

const std::vector<TrackerDefinition>& BundledTrackers() {
  static const std::vector<TrackerDefinition> trackers = [] {
    std::vector<TrackerDefinition> out;
    for (const BundledTrackerFile& f : BundledTrackerFiles()) {
      auto t = ParseTrackerDefinition(f.json, f.name);
      if (!t.ok()) {
        // A build that ships a broken file is a programming error the
        // tracker tests catch; never serve half a definition.
        std::cerr << "bundled tracker " << f.name << ": " << t.status().message() << "\n";
        std::abort();
      }
      out.push_back(std::move(*t));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return std::tie(a.step, a.template_name) < std::tie(b.step, b.template_name);
    });
    return out;
  }();
  return trackers;
}

const TrackerDefinition* FindBundledTracker(std::string_view id) {
  for (const TrackerDefinition& t : BundledTrackers()) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

namespace {

std::string OptionalText(const json& body, const char* name, std::vector<FieldError>& errors,
                         std::size_t max = kMaxTrackerText) {
  const json* v = Member(body, name);
  if (!v || v->is_null()) return "";
  if (!v->is_string()) {
    errors.push_back({name, "text"});
    return "";
  }
  if (v->get_ref<const std::string&>().size() > max) {
    errors.push_back({name, "at most " + std::to_string(max) + " characters"});
    return "";
  }
  return v->get<std::string>();
}

std::string Trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

Result<TrackerRow> ParseTrackerRow(const TrackerDefinition& tracker, const json& body) {
  if (!body.is_object()) {
    return Status::InvalidField("body", "a JSON object with values, owner, due, status, notes");
  }
  std::vector<FieldError> errors;
  TrackerRow row;
  static const std::set<std::string> known{"values", "owner", "due", "status", "notes"};
  for (const auto& [k, v] : body.items()) {
    if (!known.count(k)) errors.push_back({k, "not a field of a tracker row"});
  }
  const json* values = Member(body, "values");
  if (values && !values->is_object()) {
    errors.push_back({"values", "an object of column id to value"});
    values = nullptr;
  }
  if (values) {
    for (const auto& [k, v] : values->items()) {
      if (!tracker.FindColumn(k)) errors.push_back({"values." + k, "no such column"});
    }
  }
  for (const TrackerColumn& col : tracker.columns) {
    const std::string field = "values." + col.id;
    const json* v = values ? Member(*values, col.id.c_str()) : nullptr;
    const bool blank = !v || v->is_null() ||
                       (v->is_string() && Trimmed(v->get<std::string>()).empty()) ||
                       (v->is_array() && v->empty()) || (v->is_object() && v->empty());
    if (blank) {
      if (col.required) errors.push_back({field, "required (" + col.label + ")"});
      continue;
    }
    switch (col.kind) {
      case TrackerColumnKind::kText:
        if (!v->is_string()) {
          errors.push_back({field, "text"});
        } else if (v->get_ref<const std::string&>().size() > kMaxTrackerText) {
          errors.push_back({field, "at most " + std::to_string(kMaxTrackerText) + " characters"});
        } else {
          row.values[col.id] = Trimmed(v->get<std::string>());
        }
        break;
      case TrackerColumnKind::kChoice: {
        const bool ok = v->is_string() && std::find(col.choices.begin(), col.choices.end(),
                                                    v->get<std::string>()) != col.choices.end();
        if (!ok) {
          std::string list;
          for (const std::string& c : col.choices) list += (list.empty() ? "" : ", ") + c;
          errors.push_back({field, "one of " + list});
        } else {
          row.values[col.id] = v->get<std::string>();
        }
        break;
      }
      case TrackerColumnKind::kList: {
        if (!v->is_array() || v->size() > kMaxTrackerListItems) {
          errors.push_back({field, "an array of at most " + std::to_string(kMaxTrackerListItems) +
                                       " lines of text"});
          break;
        }
        std::vector<std::string> items;
        std::set<std::string> seen;
        for (std::size_t i = 0; i < v->size(); ++i) {
          const json& item = (*v)[i];
          const std::string at = field + "[" + std::to_string(i) + "]";
          if (!item.is_string() || Trimmed(item.get<std::string>()).empty() ||
              item.get_ref<const std::string&>().size() > 400) {
            errors.push_back({at, "non-empty text of at most 400 characters"});
          } else if (!seen.insert(Trimmed(item.get<std::string>())).second) {
            errors.push_back({at, "listed twice"});
          } else {
            items.push_back(Trimmed(item.get<std::string>()));
          }
        }
        row.lists[col.id] = std::move(items);
        break;
      }
      case TrackerColumnKind::kReport: {
        const json* report = v->is_object() ? Member(*v, "report") : nullptr;
        const json* group = v->is_object() ? Member(*v, "group") : nullptr;
        if (!report || !report->is_string() || !FindTrackerReportLink(report->get<std::string>())) {
          std::string list;
          for (const TrackerReportLink& l : TrackerReportLinks()) {
            list += (list.empty() ? "" : ", ") + l.id;
          }
          errors.push_back({field + ".report", "one of " + list});
        } else {
          row.report = report->get<std::string>();
        }
        if (group && !group->is_null()) {
          if (!group->is_string() || group->get_ref<const std::string&>().size() > 200) {
            errors.push_back({field + ".group", "text (a school, badge or course)"});
          } else {
            row.report_group = Trimmed(group->get<std::string>());
          }
        }
        break;
      }
    }
  }
  row.owner = OptionalText(body, "owner", errors, 200);
  if (const json* due = Member(body, "due"); due && !due->is_null()) {
    auto day =
        due->is_string() ? ParseDate(due->get<std::string>()) : Result<Day>(Status::Invalid(""));
    if (!day.ok()) {
      errors.push_back({"due", "a date (YYYY-MM-DD) or null"});
    } else {
      row.due = *day;
    }
  }
  if (const json* status = Member(body, "status"); status && !status->is_null()) {
    auto s = status->is_string() ? ParseRowStatus(status->get<std::string>()) : std::nullopt;
    if (!s) {
      errors.push_back({"status", "one of not started, in progress, done, dropped"});
    } else {
      row.status = *s;
    }
  }
  row.notes = OptionalText(body, "notes", errors);
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return row;
}

json TrackerRowJson(const TrackerDefinition& tracker, const TrackerRow& row) {
  json values = json::object();
  for (const TrackerColumn& col : tracker.columns) {
    switch (col.kind) {
      case TrackerColumnKind::kText:
      case TrackerColumnKind::kChoice:
        if (auto it = row.values.find(col.id); it != row.values.end()) values[col.id] = it->second;
        break;
      case TrackerColumnKind::kList:
        if (auto it = row.lists.find(col.id); it != row.lists.end()) values[col.id] = it->second;
        break;
      case TrackerColumnKind::kReport:
        if (!row.report.empty()) {
          values[col.id] = {
              {"report", row.report},
              {"group", row.report_group.empty() ? json(nullptr) : json(row.report_group)}};
        }
        break;
    }
  }
  return {{"values", values},
          {"owner", row.owner},
          {"due", row.due ? json(FormatDate(*row.due)) : json(nullptr)},
          {"status", RowStatusName(row.status)},
          {"notes", row.notes}};
}

std::string TrackerStream(std::string_view tracker_id) {
  return "tracker:" + std::string(tracker_id);
}

namespace {

// A stored body read leniently: what a later definition no longer knows is
// skipped, so history written under an older definition still shows.
TrackerRow ReadStoredRow(const TrackerDefinition& tracker, const json& body) {
  TrackerRow row;
  const json* values = Member(body, "values");
  for (const TrackerColumn& col : tracker.columns) {
    const json* v = values ? Member(*values, col.id.c_str()) : nullptr;
    if (!v) continue;
    if (col.kind == TrackerColumnKind::kList && v->is_array()) {
      for (const json& item : *v) {
        if (item.is_string()) row.lists[col.id].push_back(item.get<std::string>());
      }
    } else if (col.kind == TrackerColumnKind::kReport && v->is_object()) {
      row.report = v->value("report", "");
      if (const json* g = Member(*v, "group"); g && g->is_string()) {
        row.report_group = g->get<std::string>();
      }
    } else if (v->is_string()) {
      row.values[col.id] = v->get<std::string>();
    }
  }
  if (const json* o = Member(body, "owner"); o && o->is_string()) row.owner = o->get<std::string>();
  if (const json* d = Member(body, "due"); d && d->is_string()) {
    if (auto day = ParseDate(d->get<std::string>()); day.ok()) row.due = *day;
  }
  if (const json* s = Member(body, "status"); s && s->is_string()) {
    row.status = ParseRowStatus(s->get<std::string>()).value_or(RowStatus::kNotStarted);
  }
  if (const json* n = Member(body, "notes"); n && n->is_string()) row.notes = n->get<std::string>();
  return row;
}

}  // namespace

std::vector<TrackerRowState> FoldTrackerRows(const TrackerDefinition& tracker,
                                             const std::vector<JournalEntry>& entries) {
  const std::string stream = TrackerStream(tracker.id);
  std::vector<const JournalEntry*> sorted;
  for (const JournalEntry& e : entries) {
    if (e.stream == stream) sorted.push_back(&e);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const JournalEntry* a, const JournalEntry* b) { return a->id < b->id; });
  std::vector<TrackerRowState> out;
  std::map<std::string, std::size_t> index;
  for (const JournalEntry* e : sorted) {
    json body = json::parse(e->body, nullptr, false);
    RowRevision rev{e->id, e->recorded_by, e->recorded_at,
                    ReadStoredRow(tracker, body.is_object() ? body : json::object())};
    auto [it, fresh] = index.emplace(e->key, out.size());
    if (fresh) out.push_back({e->key, {}, {}});
    TrackerRowState& state = out[it->second];
    state.current = rev.row;
    state.history.push_back(std::move(rev));
  }
  return out;
}

bool IsOverdue(const TrackerRow& row, Day today) {
  return row.due && *row.due < today && row.status != RowStatus::kDone &&
         row.status != RowStatus::kDropped;
}

std::string_view GuideStepTitle(int step) {
  switch (step) {
    case 1:
      return "Evaluating Program Fit";
    case 2:
      return "Preparing to Launch the Program";
    case 3:
      return "Launching and Improving the Program";
    case 4:
      return "Sustaining the Program";
    default:
      return "";
  }
}

ImplementationStage DeriveImplementationStage(
    const std::vector<std::pair<const TrackerDefinition*, std::vector<TrackerRow>>>& rows,
    Day today, bool step1_begun) {
  ImplementationStage stage;
  for (int s = 1; s <= 4; ++s) stage.steps.push_back({s, std::string(GuideStepTitle(s))});
  for (const auto& [tracker, tracker_rows] : rows) {
    if (!tracker || tracker->step < 1 || tracker->step > 4) continue;
    StepProgress& p = stage.steps[tracker->step - 1];
    for (const TrackerRow& r : tracker_rows) {
      ++p.rows;
      switch (r.status) {
        case RowStatus::kNotStarted:
          ++p.not_started;
          break;
        case RowStatus::kInProgress:
          ++p.in_progress;
          break;
        case RowStatus::kDone:
          ++p.done;
          break;
        case RowStatus::kDropped:
          ++p.dropped;
          break;
      }
      if (IsOverdue(r, today)) ++p.overdue;
    }
  }
  stage.current_step = 1;
  stage.why = step1_begun ? "Step 1 work has begun (a readiness round); no later step has."
                          : "No tracker row is in progress or done yet.";
  for (int s = 4; s >= 2; --s) {
    const StepProgress& p = stage.steps[s - 1];
    if (p.begun()) {
      stage.current_step = s;
      stage.why = "Step " + std::to_string(s) + " is the latest step with rows in progress or " +
                  "done (" + std::to_string(p.in_progress) + " in progress, " +
                  std::to_string(p.done) + " done).";
      break;
    }
  }
  return stage;
}

}  // namespace cairn
