#include "credentials/jsonld.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>

#include "common/json_writer.h"
#include "credentials/rdfc.h"

namespace cairn::jsonld {

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------
namespace {

constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kXsd = "http://www.w3.org/2001/XMLSchema#";
constexpr size_t kMaxRemoteContexts = 64;  // "context overflow" guard

Status Error(std::string_view code, std::string_view detail) {
  std::string message(code);
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  return Status::Invalid(std::move(message));
}

bool IsKeyword(std::string_view s) {
  static constexpr std::string_view kKeywords[] = {
      "@base",   "@container", "@context", "@direction", "@graph",     "@id",
      "@import", "@included",  "@index",   "@json",      "@language",  "@list",
      "@nest",   "@none",      "@prefix",  "@propagate", "@protected", "@reverse",
      "@set",    "@type",      "@value",   "@version",   "@vocab"};
  if (s.size() < 3 || s[0] != '@') return false;
  return std::find(std::begin(kKeywords), std::end(kKeywords), s) != std::end(kKeywords);
}

// "@" followed by one or more ALPHA: reserved for future keywords, ignored.
bool HasKeywordForm(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

size_t SchemeLength(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return 0;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == ':') return i;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return 0;
  }
  return 0;
}

bool IsAbsoluteIri(std::string_view s) { return SchemeLength(s) > 0; }
bool IsBlankId(std::string_view s) { return s.size() >= 2 && s[0] == '_' && s[1] == ':'; }

// Well-formed for RDF output: absolute, no whitespace or forbidden characters.
bool IsWellFormedIri(std::string_view s) {
  if (!IsAbsoluteIri(s)) return false;
  size_t hash = s.find('#');
  if (hash != std::string_view::npos && s.find('#', hash + 1) != std::string_view::npos) {
    return false;
  }
  static constexpr auto kForbidden = [] {
    std::array<bool, 256> forbidden{};
    for (int c = 0; c <= 0x20; ++c) forbidden[static_cast<size_t>(c)] = true;
    for (char c : std::string_view("<>\"{}|^`\\")) forbidden[static_cast<unsigned char>(c)] = true;
    return forbidden;
  }();
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return kForbidden[static_cast<unsigned char>(c)]; });
}

bool IsWellFormedLanguage(std::string_view s) {
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t end = s.find('-', start);
    std::string_view part = s.substr(start, end == std::string_view::npos ? end : end - start);
    if (part.empty() || part.size() > 8) return false;
    for (char c : part) {
      bool ok = first ? std::isalpha(static_cast<unsigned char>(c)) != 0
                      : std::isalnum(static_cast<unsigned char>(c)) != 0;
      if (!ok) return false;
    }
    first = false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

std::string ToLower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool EndsWithGenDelim(std::string_view s) {
  if (s.empty()) return false;
  return std::string_view(":/?#[]@").find(s.back()) != std::string_view::npos;
}

bool IsGraphObject(const Json& v) {
  if (!v.is_object() || !v.contains("@graph")) return false;
  for (const auto& [key, unused] : v.items()) {
    if (key != "@graph" && key != "@id" && key != "@index" && key != "@context") return false;
  }
  return true;
}
bool IsValueObject(const Json& v) { return v.is_object() && v.contains("@value"); }
bool IsListObject(const Json& v) { return v.is_object() && v.contains("@list"); }

Json AsArray(Json v) {
  if (v.is_array()) return v;
  Json array = Json::array();
  array.push_back(std::move(v));
  return array;
}

void AppendTo(Json& object, std::string key, Json value) {
  Json& slot = object[std::move(key)];
  if (slot.is_null()) slot = Json::array();
  if (!slot.is_array()) slot = AsArray(std::move(slot));
  if (value.is_array()) {
    for (auto& item : value) slot.push_back(std::move(item));
  } else {
    slot.push_back(std::move(value));
  }
}

std::string RemoveDotSegments(std::string_view path) {
  std::string input(path);
  std::string output;
  while (!input.empty()) {
    if (input.rfind("../", 0) == 0) {
      input.erase(0, 3);
    } else if (input.rfind("./", 0) == 0) {
      input.erase(0, 2);
    } else if (input.rfind("/./", 0) == 0) {
      input.replace(0, 3, "/");
    } else if (input == "/.") {
      input = "/";
    } else if (input.rfind("/../", 0) == 0 || input == "/..") {
      input = input.size() == 3 ? std::string("/") : input.substr(3);
      size_t cut = output.rfind('/');
      output.erase(cut == std::string::npos ? 0 : cut);
    } else if (input == "." || input == "..") {
      input.clear();
    } else {
      size_t next = input.find('/', input[0] == '/' ? 1 : 0);
      if (next == std::string::npos) next = input.size();
      output += input.substr(0, next);
      input.erase(0, next);
    }
  }
  return output;
}

struct UriParts {
  std::string_view scheme, authority, path, query, fragment;
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

UriParts SplitUri(std::string_view s) {
  UriParts parts;
  size_t scheme = SchemeLength(s);
  if (scheme > 0) {
    parts.has_scheme = true;
    parts.scheme = s.substr(0, scheme);
    s.remove_prefix(scheme + 1);
  }
  size_t hash = s.find('#');
  if (hash != std::string_view::npos) {
    parts.has_fragment = true;
    parts.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  size_t question = s.find('?');
  if (question != std::string_view::npos) {
    parts.has_query = true;
    parts.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  if (s.rfind("//", 0) == 0) {
    parts.has_authority = true;
    size_t slash = s.find('/', 2);
    parts.authority = s.substr(2, slash == std::string_view::npos ? slash : slash - 2);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  parts.path = s;
  return parts;
}

}  // namespace

std::string ResolveIri(std::string_view base, std::string_view reference) {
  if (base.empty()) return std::string(reference);
  UriParts r = SplitUri(reference);
  UriParts b = SplitUri(base);
  std::string scheme, authority, path, query;
  bool has_authority = false, has_query = false;
  if (r.has_scheme) {
    scheme = r.scheme;
    has_authority = r.has_authority;
    authority = r.authority;
    path = RemoveDotSegments(r.path);
    has_query = r.has_query;
    query = r.query;
  } else {
    scheme = b.scheme;
    if (r.has_authority) {
      has_authority = true;
      authority = r.authority;
      path = RemoveDotSegments(r.path);
      has_query = r.has_query;
      query = r.query;
    } else {
      has_authority = b.has_authority;
      authority = b.authority;
      if (r.path.empty()) {
        path = b.path;
        has_query = r.has_query || b.has_query;
        query = r.has_query ? r.query : b.query;
      } else {
        if (r.path[0] == '/') {
          path = RemoveDotSegments(r.path);
        } else {
          std::string merged;
          if (b.has_authority && b.path.empty()) {
            merged = "/" + std::string(r.path);
          } else {
            size_t slash = b.path.rfind('/');
            merged = slash == std::string_view::npos
                         ? std::string(r.path)
                         : std::string(b.path.substr(0, slash + 1)) + std::string(r.path);
          }
          path = RemoveDotSegments(merged);
        }
        has_query = r.has_query;
        query = r.query;
      }
    }
  }
  std::string out = scheme + ":";
  if (has_authority) out += "//" + authority;
  out += path;
  if (has_query) out += "?" + query;
  if (r.has_fragment) {
    out += "#";
    out += r.fragment;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Active context
// ---------------------------------------------------------------------------
namespace {

enum Container : uint32_t {
  kList = 1,
  kSet = 2,
  kIndex = 4,
  kLanguage = 8,
  kGraph = 16,
  kId = 32,
  kType = 64,
};

std::atomic<uint64_t> g_next_serial{1};

struct TermDef {
  std::optional<std::string> iri;  // nullopt: the term maps to null
  bool reverse = false;
  bool prefix = false;
  bool is_protected = false;
  std::optional<std::string> type_mapping;
  bool has_language = false;
  std::optional<std::string> language;
  bool has_direction = false;
  std::optional<std::string> direction;
  std::shared_ptr<const Json> context;  // scoped context, may point to a JSON null
  std::string context_base;
  std::optional<std::string> nest;
  std::optional<std::string> index;
  uint32_t container = 0;

  bool Has(Container c) const { return (container & c) != 0; }
  bool SameExceptProtected(const TermDef& o) const {
    bool same_context =
        (!context && !o.context) || (context && o.context && *context == *o.context);
    return iri == o.iri && reverse == o.reverse && prefix == o.prefix &&
           type_mapping == o.type_mapping && has_language == o.has_language &&
           language == o.language && has_direction == o.has_direction && direction == o.direction &&
           same_context && nest == o.nest && index == o.index && container == o.container;
  }
};

}  // namespace

struct Context {
  uint64_t serial = g_next_serial++;
  std::optional<std::string> base;
  std::string original_base;
  std::optional<std::string> vocab;
  std::optional<std::string> default_language;
  std::optional<std::string> default_direction;
  std::unordered_map<std::string, std::shared_ptr<const TermDef>> terms;
  std::shared_ptr<const Context> previous;
  bool mode_1_0 = false;

  const TermDef* Find(const std::string& term) const {
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : it->second.get();
  }
  bool HasProtected() const {
    return std::any_of(terms.begin(), terms.end(),
                       [](const auto& entry) { return entry.second->is_protected; });
  }
};

using CtxPtr = std::shared_ptr<const Context>;

// Every distinct context state gets a fresh serial: caches key on it.
std::shared_ptr<Context> MutableCopy(const Context& source) {
  auto copy = std::make_shared<Context>(source);
  copy->serial = g_next_serial++;
  return copy;
}

struct Processor::Cache {
  std::mutex mutex;
  // (active context serial, base, URL list) -> processed context
  std::map<std::string, CtxPtr> by_urls;
  // (active context serial, scoped context identity, propagate) -> processed
  std::map<std::tuple<uint64_t, const Json*, bool>, std::pair<CtxPtr, std::shared_ptr<const Json>>>
      scoped;
  std::map<std::pair<std::string, bool>, CtxPtr> initial;

  void TrimLocked() {
    // Bounded: documents with ever-new inline contexts must not grow it forever.
    if (by_urls.size() + scoped.size() > 4096) {
      by_urls.clear();
      scoped.clear();
    }
  }
};

namespace {

// Parameters threaded through Create Term Definition for one local context.
struct DefinitionScope {
  const Json* local = nullptr;
  std::shared_ptr<const Json> owner;  // keeps `local` alive when shared
  std::map<std::string, bool> defined;
  std::string base_url;
  bool is_protected = false;
  bool override_protected = false;
  std::vector<std::string> remote_contexts;
  bool validate_scoped = true;
};

class Engine {
 public:
  Engine(const DocumentLoader& loader, Processor::Cache& cache, const Options& options)
      : loader_(loader), cache_(cache), options_(options) {}

  CtxPtr InitialContext() {
    std::lock_guard<std::mutex> lock(cache_.mutex);
    auto key = std::make_pair(options_.base, options_.processing_mode_1_0);
    auto it = cache_.initial.find(key);
    if (it != cache_.initial.end()) return it->second;
    auto ctx = std::make_shared<Context>();
    if (!options_.base.empty()) ctx->base = options_.base;
    ctx->original_base = options_.base;
    ctx->mode_1_0 = options_.processing_mode_1_0;
    cache_.initial[key] = ctx;
    return ctx;
  }

  // Context Processing with caching for the two hot shapes: URL lists
  // (document @context) and scoped contexts held by term definitions.
  Result<CtxPtr> ProcessCachedUrls(const CtxPtr& active, const Json& local,
                                   const std::string& base_url) {
    bool cacheable =
        local.is_string() ||
        (local.is_array() && !local.empty() &&
         std::all_of(local.begin(), local.end(), [](const Json& v) { return v.is_string(); }));
    if (!cacheable) return ProcessContext(active, local, nullptr, base_url, {}, false, true, true);
    std::string key = std::to_string(active->serial) + '\x1f' + base_url;
    for (const Json& url : AsArray(local)) key += '\x1f' + url.get<std::string>();
    {
      std::lock_guard<std::mutex> lock(cache_.mutex);
      auto it = cache_.by_urls.find(key);
      if (it != cache_.by_urls.end()) return it->second;
    }
    CAIRN_ASSIGN_OR_RETURN(CtxPtr result,
                           ProcessContext(active, local, nullptr, base_url, {}, false, true, true));
    std::lock_guard<std::mutex> lock(cache_.mutex);
    cache_.TrimLocked();
    cache_.by_urls[key] = result;
    return result;
  }

  Result<CtxPtr> ProcessScoped(const CtxPtr& active, const TermDef& def, bool override_protected,
                               bool propagate) {
    auto key = std::make_tuple(active->serial, def.context.get(), propagate);
    {
      std::lock_guard<std::mutex> lock(cache_.mutex);
      auto it = cache_.scoped.find(key);
      if (it != cache_.scoped.end()) return it->second.first;
    }
    CAIRN_ASSIGN_OR_RETURN(CtxPtr result,
                           ProcessContext(active, *def.context, def.context, def.context_base, {},
                                          override_protected, propagate, true));
    std::lock_guard<std::mutex> lock(cache_.mutex);
    cache_.TrimLocked();
    cache_.scoped[key] = {result, def.context};
    return result;
  }

  Result<std::shared_ptr<const Json>> LoadContextDocument(const std::string& url) {
    auto loaded = loader_.Load(url);
    if (!loaded.ok()) {
      return Status(StatusCode::kNotFound,
                    "loading remote context failed: " + url + ": " + loaded.status().message());
    }
    const Json& doc = **loaded;
    if (!doc.is_object() || !doc.contains("@context")) {
      return Error("invalid remote context", url);
    }
    return *loaded;
  }

  // JSON-LD 1.1 API, 4.1.2 Context Processing Algorithm.
  Result<CtxPtr> ProcessContext(const CtxPtr& active, const Json& local_in,
                                std::shared_ptr<const Json> owner, const std::string& base_url,
                                std::vector<std::string> remote_contexts, bool override_protected,
                                bool propagate, bool validate_scoped) {
    std::shared_ptr<Context> result = MutableCopy(*active);
    if (local_in.is_object() && local_in.contains("@propagate")) {
      const Json& p = local_in["@propagate"];
      if (!p.is_boolean()) return Error("invalid @propagate value", p.dump());
      propagate = p.get<bool>();
    }
    if (!propagate && !result->previous) result->previous = active;

    auto process_one = [&](const Json& context,
                           const std::shared_ptr<const Json>& context_owner) -> Status {
      if (context.is_null()) {
        if (!override_protected && result->HasProtected()) {
          return Error("invalid context nullification", "protected terms are defined");
        }
        auto fresh = std::make_shared<Context>();
        fresh->base = active->original_base.empty()
                          ? std::optional<std::string>()
                          : std::optional<std::string>(active->original_base);
        fresh->original_base = active->original_base;
        fresh->mode_1_0 = active->mode_1_0;
        if (!propagate) fresh->previous = result;
        result = std::move(fresh);
        return Status::Ok();
      }
      if (context.is_string()) {
        std::string url = ResolveIri(base_url, context.get<std::string>());
        bool seen =
            std::find(remote_contexts.begin(), remote_contexts.end(), url) != remote_contexts.end();
        if (seen && !validate_scoped) return Status::Ok();
        // Only the chain of enclosing remote contexts counts as recursion.
        if (seen) return Error("recursive context inclusion", url);
        if (remote_contexts.size() > kMaxRemoteContexts) return Error("context overflow", url);
        std::vector<std::string> chain = remote_contexts;
        chain.push_back(url);
        CAIRN_ASSIGN_OR_RETURN(auto document, LoadContextDocument(url));
        std::shared_ptr<const Json> inner(document, &(*document)["@context"]);
        CAIRN_ASSIGN_OR_RETURN(CtxPtr processed,
                               ProcessContext(result, *inner, inner, url, std::move(chain),
                                              override_protected, true, validate_scoped));
        result = MutableCopy(*processed);
        return Status::Ok();
      }
      if (!context.is_object()) return Error("invalid local context", context.dump());
      return ProcessObjectContext(*result, context, context_owner, base_url, remote_contexts,
                                  override_protected, validate_scoped);
    };

    if (local_in.is_array()) {
      for (const Json& context : local_in) {
        std::shared_ptr<const Json> item_owner =
            owner ? std::shared_ptr<const Json>(owner, &context) : nullptr;
        CAIRN_RETURN_IF_ERROR(process_one(context, item_owner));
      }
    } else {
      CAIRN_RETURN_IF_ERROR(process_one(local_in, owner));
    }
    return CtxPtr(std::move(result));
  }

  Status ProcessObjectContext(Context& result, const Json& context_in,
                              const std::shared_ptr<const Json>& owner, const std::string& base_url,
                              const std::vector<std::string>& remote_contexts,
                              bool override_protected, bool validate_scoped) {
    const Json* context = &context_in;
    std::shared_ptr<const Json> context_owner = owner;
    Json merged;
    if (context->contains("@version")) {
      const Json& version = (*context)["@version"];
      if (!version.is_number() || version.get<double>() != 1.1) {
        return Error("invalid @version value", version.dump());
      }
      if (result.mode_1_0) return Error("processing mode conflict", "@version 1.1 in 1.0 mode");
    }
    if (context->contains("@import")) {
      if (result.mode_1_0) return Error("invalid context entry", "@import in 1.0 mode");
      const Json& import = (*context)["@import"];
      if (!import.is_string()) return Error("invalid @import value", import.dump());
      std::string url = ResolveIri(base_url, import.get<std::string>());
      auto loaded = loader_.Load(url);
      if (!loaded.ok()) {
        return Status(StatusCode::kNotFound, "loading remote context failed: " + url);
      }
      const Json& doc = **loaded;
      if (!doc.is_object() || !doc.contains("@context") || !doc["@context"].is_object()) {
        return Error("invalid remote context", url);
      }
      const Json& imported = doc["@context"];
      if (imported.contains("@import")) return Error("invalid context entry", "nested @import");
      merged = imported;
      for (const auto& [key, value] : context->items()) {
        if (key != "@import") merged[key] = value;
      }
      context = &merged;
      context_owner = nullptr;
    }
    if (context->contains("@base") && remote_contexts.empty()) {
      const Json& value = (*context)["@base"];
      if (value.is_null()) {
        result.base.reset();
      } else if (!value.is_string()) {
        return Error("invalid base IRI", value.dump());
      } else if (IsAbsoluteIri(value.get<std::string>())) {
        result.base = value.get<std::string>();
      } else if (result.base) {
        result.base = ResolveIri(*result.base, value.get<std::string>());
      } else {
        return Error("invalid base IRI", value.get<std::string>());
      }
    }
    if (context->contains("@vocab")) {
      const Json& value = (*context)["@vocab"];
      if (value.is_null()) {
        result.vocab.reset();
      } else if (!value.is_string()) {
        return Error("invalid vocab mapping", value.dump());
      } else {
        std::string vocab = value.get<std::string>();
        if (!IsAbsoluteIri(vocab) && !IsBlankId(vocab) && result.mode_1_0) {
          return Error("invalid vocab mapping", vocab);
        }
        auto expanded = ExpandIri(result, vocab, true, true);
        if (!expanded || (!IsAbsoluteIri(*expanded) && !IsBlankId(*expanded))) {
          return Error("invalid vocab mapping", vocab);
        }
        result.vocab = *expanded;
      }
    }
    if (context->contains("@language")) {
      const Json& value = (*context)["@language"];
      if (value.is_null()) {
        result.default_language.reset();
      } else if (!value.is_string()) {
        return Error("invalid default language", value.dump());
      } else {
        result.default_language = ToLower(value.get<std::string>());
      }
    }
    if (context->contains("@direction")) {
      if (result.mode_1_0) return Error("invalid context entry", "@direction in 1.0 mode");
      const Json& value = (*context)["@direction"];
      if (value.is_null()) {
        result.default_direction.reset();
      } else if (value != "ltr" && value != "rtl") {
        return Error("invalid base direction", value.dump());
      } else {
        result.default_direction = value.get<std::string>();
      }
    }
    if (context->contains("@propagate")) {
      if (result.mode_1_0) return Error("invalid context entry", "@propagate in 1.0 mode");
      if (!(*context)["@propagate"].is_boolean()) {
        return Error("invalid @propagate value", (*context)["@propagate"].dump());
      }
    }
    DefinitionScope scope;
    scope.local = context;
    scope.owner = context_owner;
    scope.base_url = base_url;
    if (context->contains("@protected")) {
      const Json& value = (*context)["@protected"];
      if (!value.is_boolean()) return Error("invalid @protected value", value.dump());
      scope.is_protected = value.get<bool>();
    }
    scope.override_protected = override_protected;
    scope.remote_contexts = remote_contexts;
    scope.validate_scoped = validate_scoped;
    for (const auto& [key, unused] : context->items()) {
      if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" ||
          key == "@propagate" || key == "@protected" || key == "@version" || key == "@vocab") {
        continue;
      }
      CAIRN_RETURN_IF_ERROR(CreateTermDefinition(result, key, scope));
    }
    return Status::Ok();
  }

  // 4.2.2 Create Term Definition.
  Status CreateTermDefinition(Context& active, const std::string& term, DefinitionScope& scope) {
    auto found = scope.defined.find(term);
    if (found != scope.defined.end()) {
      if (found->second) return Status::Ok();
      return Error("cyclic IRI mapping", term);
    }
    if (term.empty()) return Error("invalid term definition", "empty term");
    scope.defined[term] = false;
    const Json& raw = (*scope.local)[term];
    if (term == "@type" && !active.mode_1_0) {
      bool ok = raw.is_object() && !raw.empty();
      if (ok) {
        for (const auto& [key, value] : raw.items()) {
          if (key == "@container") {
            ok = ok && value == "@set";
          } else if (key != "@protected") {
            ok = false;
          }
        }
      }
      if (!ok) return Error("keyword redefinition", term);
    } else if (IsKeyword(term)) {
      return Error("keyword redefinition", term);
    } else if (HasKeywordForm(term)) {
      scope.defined[term] = true;  // ignored, with a warning in other processors
      return Status::Ok();
    }
    std::shared_ptr<const TermDef> previous;
    if (auto it = active.terms.find(term); it != active.terms.end()) {
      previous = it->second;
      active.terms.erase(it);
    }
    Json value;
    bool simple_term = false;
    if (raw.is_null()) {
      value = Json{{"@id", nullptr}};
    } else if (raw.is_string()) {
      value = Json{{"@id", raw}};
      simple_term = true;
    } else if (raw.is_object()) {
      value = raw;
    } else {
      return Error("invalid term definition", term);
    }
    auto def = std::make_shared<TermDef>();
    if (value.contains("@protected")) {
      if (active.mode_1_0) return Error("invalid term definition", "@protected in 1.0 mode");
      if (!value["@protected"].is_boolean()) return Error("invalid @protected value", term);
      def->is_protected = value["@protected"].get<bool>();
    } else {
      def->is_protected = scope.is_protected;
    }
    if (value.contains("@type")) {
      const Json& type = value["@type"];
      if (!type.is_string()) return Error("invalid type mapping", term);
      CAIRN_ASSIGN_OR_RETURN(
          auto expanded, ExpandIriDefining(active, type.get<std::string>(), false, true, scope));
      if (!expanded) return Error("invalid type mapping", term);
      const std::string& t = *expanded;
      if ((t == "@json" || t == "@none") && active.mode_1_0) {
        return Error("invalid type mapping", term);
      }
      if (t != "@id" && t != "@vocab" && t != "@json" && t != "@none" && !IsAbsoluteIri(t)) {
        return Error("invalid type mapping", term + ": " + t);
      }
      def->type_mapping = t;
    }
    if (value.contains("@reverse")) {
      if (value.contains("@id") || value.contains("@nest")) {
        return Error("invalid reverse property", term);
      }
      const Json& reverse = value["@reverse"];
      if (!reverse.is_string()) return Error("invalid IRI mapping", term);
      if (HasKeywordForm(reverse.get<std::string>())) {
        scope.defined[term] = true;
        return Status::Ok();
      }
      CAIRN_ASSIGN_OR_RETURN(
          auto expanded, ExpandIriDefining(active, reverse.get<std::string>(), false, true, scope));
      if (!expanded || (!IsAbsoluteIri(*expanded) && !IsBlankId(*expanded))) {
        return Error("invalid IRI mapping", term);
      }
      def->iri = *expanded;
      if (value.contains("@container")) {
        const Json& c = value["@container"];
        if (!c.is_null() && c != "@set" && c != "@index") {
          return Error("invalid reverse property", term);
        }
        if (c == "@set") def->container = kSet;
        if (c == "@index") def->container = kIndex;
      }
      def->reverse = true;
      for (const auto& [key, unused] : value.items()) {
        if (key != "@reverse" && key != "@container" && key != "@context" && key != "@protected" &&
            key != "@type" && key != "@language" && key != "@direction" && key != "@index") {
          return Error("invalid term definition", term + ": " + key);
        }
      }
      return FinishDefinition(active, term, std::move(def), previous, scope);
    }
    if (value.contains("@id") && value["@id"] != term) {
      const Json& id = value["@id"];
      if (id.is_null()) {
        def->iri.reset();
      } else {
        if (!id.is_string()) return Error("invalid IRI mapping", term);
        const std::string& id_str = id.get_ref<const std::string&>();
        if (!IsKeyword(id_str) && HasKeywordForm(id_str)) {
          scope.defined[term] = true;
          return Status::Ok();
        }
        CAIRN_ASSIGN_OR_RETURN(auto expanded,
                               ExpandIriDefining(active, id_str, false, true, scope));
        if (!expanded ||
            (!IsKeyword(*expanded) && !IsAbsoluteIri(*expanded) && !IsBlankId(*expanded))) {
          return Error("invalid IRI mapping", term);
        }
        if (*expanded == "@context") return Error("invalid keyword alias", term);
        def->iri = *expanded;
        size_t colon = term.find(':', 1);
        bool inner_colon = colon != std::string::npos && colon + 1 < term.size();
        if (inner_colon || term.find('/') != std::string::npos) {
          scope.defined[term] = true;
          CAIRN_ASSIGN_OR_RETURN(auto self, ExpandIriDefining(active, term, false, true, scope));
          if (self != def->iri)
            return Error("invalid IRI mapping", term + " does not expand to @id");
        }
        if (term.find(':') == std::string::npos && term.find('/') == std::string::npos &&
            simple_term && (EndsWithGenDelim(*def->iri) || IsBlankId(*def->iri))) {
          def->prefix = true;
        }
      }
    } else if (size_t colon = term.find(':', 1); colon != std::string::npos) {
      std::string prefix = term.substr(0, colon);
      std::string suffix = term.substr(colon + 1);
      if (scope.local->contains(prefix)) {
        CAIRN_RETURN_IF_ERROR(CreateTermDefinition(active, prefix, scope));
      }
      const TermDef* prefix_def = active.Find(prefix);
      if (prefix_def && prefix_def->iri) {
        def->iri = *prefix_def->iri + suffix;
      } else {
        def->iri = term;
      }
    } else if (term.find('/') != std::string::npos) {
      auto expanded = ExpandIri(active, term, false, true);
      if (!expanded || !IsAbsoluteIri(*expanded)) return Error("invalid IRI mapping", term);
      def->iri = *expanded;
    } else if (term == "@type") {
      def->iri = "@type";
    } else if (active.vocab) {
      def->iri = *active.vocab + term;
    } else {
      return Error("invalid IRI mapping", term + ": no @vocab");
    }

    if (value.contains("@container")) {
      CAIRN_RETURN_IF_ERROR(ParseContainer(active, term, value["@container"], *def));
    }
    if (value.contains("@index")) {
      if (active.mode_1_0 || !def->Has(kIndex)) return Error("invalid term definition", term);
      const Json& index = value["@index"];
      if (!index.is_string()) return Error("invalid term definition", term);
      auto expanded = ExpandIri(active, index.get<std::string>(), false, true);
      if (!expanded || IsKeyword(*expanded) || !IsAbsoluteIri(*expanded)) {
        return Error("invalid term definition", term + ": bad @index");
      }
      def->index = index.get<std::string>();
    }
    if (value.contains("@context")) {
      if (active.mode_1_0) return Error("invalid term definition", "@context in 1.0 mode");
      def->context =
          scope.owner ? std::shared_ptr<const Json>(scope.owner, &(*scope.local)[term]["@context"])
                      : std::make_shared<const Json>(value["@context"]);
      def->context_base = scope.base_url;
      // Validate now (errors surface at definition time), result discarded.
      CtxPtr shared_active = MutableCopy(active);
      auto validated = ProcessContext(shared_active, *def->context, def->context, scope.base_url,
                                      scope.remote_contexts, true, true, false);
      if (!validated.ok()) {
        return Error("invalid scoped context", term + ": " + validated.status().message());
      }
    }
    if (value.contains("@language") && !value.contains("@type")) {
      const Json& language = value["@language"];
      if (!language.is_null() && !language.is_string()) {
        return Error("invalid language mapping", term);
      }
      def->has_language = true;
      if (language.is_string()) def->language = ToLower(language.get<std::string>());
    }
    if (value.contains("@direction") && !value.contains("@type")) {
      const Json& direction = value["@direction"];
      if (!direction.is_null() && direction != "ltr" && direction != "rtl") {
        return Error("invalid base direction", term);
      }
      def->has_direction = true;
      if (direction.is_string()) def->direction = direction.get<std::string>();
    }
    if (value.contains("@nest")) {
      if (active.mode_1_0) return Error("invalid term definition", "@nest in 1.0 mode");
      const Json& nest = value["@nest"];
      if (!nest.is_string() || (IsKeyword(nest.get<std::string>()) && nest != "@nest")) {
        return Error("invalid @nest value", term);
      }
      def->nest = nest.get<std::string>();
    }
    if (value.contains("@prefix")) {
      if (active.mode_1_0 || term.find(':') != std::string::npos ||
          term.find('/') != std::string::npos) {
        return Error("invalid term definition", term + ": @prefix not allowed");
      }
      if (!value["@prefix"].is_boolean()) return Error("invalid @prefix value", term);
      def->prefix = value["@prefix"].get<bool>();
      if (def->prefix && def->iri && IsKeyword(*def->iri)) {
        return Error("invalid term definition", term + ": keyword prefix");
      }
    }
    for (const auto& [key, unused] : value.items()) {
      if (key != "@id" && key != "@reverse" && key != "@container" && key != "@context" &&
          key != "@direction" && key != "@index" && key != "@language" && key != "@nest" &&
          key != "@prefix" && key != "@protected" && key != "@type") {
        return Error("invalid term definition", term + ": " + key);
      }
    }
    return FinishDefinition(active, term, std::move(def), previous, scope);
  }

  Status FinishDefinition(Context& active, const std::string& term, std::shared_ptr<TermDef> def,
                          const std::shared_ptr<const TermDef>& previous, DefinitionScope& scope) {
    if (!scope.override_protected && previous && previous->is_protected) {
      if (!def->SameExceptProtected(*previous)) {
        return Error("protected term redefinition", term);
      }
      active.terms[term] = previous;
    } else {
      active.terms[term] = std::move(def);
    }
    scope.defined[term] = true;
    return Status::Ok();
  }

  Status ParseContainer(const Context& active, const std::string& term, const Json& raw,
                        TermDef& def) {
    auto invalid = [&] { return Error("invalid container mapping", term); };
    if (active.mode_1_0 && !raw.is_string()) return invalid();
    Json values = AsArray(raw);
    uint32_t bits = 0;
    for (const Json& v : values) {
      if (!v.is_string()) return invalid();
      const std::string& s = v.get_ref<const std::string&>();
      uint32_t bit = s == "@list"       ? kList
                     : s == "@set"      ? kSet
                     : s == "@index"    ? kIndex
                     : s == "@language" ? kLanguage
                     : s == "@graph"    ? kGraph
                     : s == "@id"       ? kId
                     : s == "@type"     ? kType
                                        : static_cast<Container>(0);
      if (bit == 0) return invalid();
      bits |= bit;
    }
    if (active.mode_1_0 && (bits & (kGraph | kId | kType))) return invalid();
    bool ok = false;
    uint32_t without_set = bits & ~static_cast<uint32_t>(kSet);
    if (bits == kList) {
      ok = values.size() == 1;
    } else if ((bits & kGraph) != 0) {
      uint32_t rest = bits & ~static_cast<uint32_t>(kGraph | kSet);
      ok = rest == 0 || rest == kId || rest == kIndex;
    } else if (values.size() == 1 || (bits & kSet) != 0) {
      ok = without_set == 0 || without_set == kIndex || without_set == kLanguage ||
           without_set == kId || without_set == kType;
    }
    if (!ok) return invalid();
    def.container = bits;
    if ((bits & kType) != 0) {
      if (!def.type_mapping) {
        def.type_mapping = "@id";
      } else if (*def.type_mapping != "@id" && *def.type_mapping != "@vocab") {
        return Error("invalid type mapping", term);
      }
    }
    return Status::Ok();
  }

  // 5.2.2 IRI Expansion without a local context (never errors).
  std::optional<std::string> ExpandIri(const Context& active, const std::string& value,
                                       bool document_relative, bool vocab) const {
    if (IsKeyword(value)) return value;
    if (HasKeywordForm(value)) return std::nullopt;
    const TermDef* def = active.Find(value);
    if (def && def->iri && IsKeyword(*def->iri)) return def->iri;
    if (vocab && def) return def->iri;
    size_t colon = value.find(':', 1);
    if (colon != std::string::npos) {
      std::string_view prefix(value.data(), colon);
      std::string_view suffix(value.data() + colon + 1, value.size() - colon - 1);
      if (prefix == "_" || suffix.rfind("//", 0) == 0) return value;
      const TermDef* prefix_def = active.Find(std::string(prefix));
      if (prefix_def && prefix_def->iri && prefix_def->prefix) {
        return *prefix_def->iri + std::string(suffix);
      }
      if (IsAbsoluteIri(value)) return value;
    }
    if (vocab && active.vocab) return *active.vocab + value;
    if (document_relative) {
      return active.base ? ResolveIri(*active.base, value) : value;
    }
    return value;
  }

  // Whether ExpandIri(active, key, false, true) == keyword, without building
  // the expanded string for the usual case of a defined term.
  bool ExpandsToKeyword(const Context& active, const std::string& key,
                        std::string_view keyword) const {
    if (IsKeyword(key)) return key == keyword;
    if (const TermDef* def = active.Find(key); def && !HasKeywordForm(key)) {
      return def->iri && *def->iri == keyword;
    }
    return ExpandIri(active, key, false, true) == keyword;
  }

  // IRI Expansion while a local context is being defined (may recurse into
  // Create Term Definition).
  Result<std::optional<std::string>> ExpandIriDefining(Context& active, const std::string& value,
                                                       bool document_relative, bool vocab,
                                                       DefinitionScope& scope) {
    if (IsKeyword(value)) return std::optional<std::string>(value);
    if (HasKeywordForm(value)) return std::optional<std::string>();
    if (scope.local->contains(value)) {
      auto it = scope.defined.find(value);
      if (it == scope.defined.end() || !it->second) {
        CAIRN_RETURN_IF_ERROR(CreateTermDefinition(active, value, scope));
      }
    }
    size_t colon = value.find(':', 1);
    if (colon != std::string::npos) {
      std::string prefix = value.substr(0, colon);
      if (prefix != "_" && value.compare(colon + 1, 2, "//") != 0 &&
          scope.local->contains(prefix)) {
        auto it = scope.defined.find(prefix);
        if (it == scope.defined.end() || !it->second) {
          CAIRN_RETURN_IF_ERROR(CreateTermDefinition(active, prefix, scope));
        }
      }
    }
    return ExpandIri(active, value, document_relative, vocab);
  }

  // 5.3.2 Value Expansion.
  Json ExpandValue(const Context& active, const std::string& property, const Json& value) const {
    const TermDef* def = active.Find(property);
    if (def && def->type_mapping && value.is_string()) {
      if (*def->type_mapping == "@id" || *def->type_mapping == "@vocab") {
        auto iri =
            ExpandIri(active, value.get<std::string>(), true, *def->type_mapping == "@vocab");
        Json reference(Json::value_t::object);
        reference["@id"] = iri ? Json(std::move(*iri)) : Json();
        return reference;
      }
    }
    // Not Json{{"@value", value}}: initializer lists copy every element twice.
    Json result(Json::value_t::object);
    result["@value"] = value;
    if (def && def->type_mapping && *def->type_mapping != "@id" && *def->type_mapping != "@vocab" &&
        *def->type_mapping != "@none") {
      result["@type"] = *def->type_mapping;
    } else if (value.is_string()) {
      std::optional<std::string> language =
          def && def->has_language ? def->language : active.default_language;
      std::optional<std::string> direction =
          def && def->has_direction ? def->direction : active.default_direction;
      if (language) result["@language"] = *language;
      if (direction) result["@direction"] = *direction;
    }
    return result;
  }

  // Active properties that are keywords.
  static inline const std::string kGraphKey = "@graph";
  static inline const std::string kReverseKey = "@reverse";

  // 5.1.2 Expansion Algorithm. `active_property` is null at the top level.
  // The caller's `active_in` outlives the call, so `property_def` (owned by
  // that context) stays valid after `active` moves on to other contexts.
  Result<Json> Expand(const CtxPtr& active_in, const std::string* active_property,
                      const Json& element, const std::string& base_url, bool from_map) {
    if (element.is_null()) return Json();
    const TermDef* property_def = active_property ? active_in->Find(*active_property) : nullptr;
    bool has_property_scope = property_def && property_def->context;

    if (!element.is_object() && !element.is_array()) {
      if (!active_property || *active_property == "@graph") return Json();
      if (has_property_scope) {
        CAIRN_ASSIGN_OR_RETURN(CtxPtr scoped, ProcessScoped(active_in, *property_def, true, true));
        return ExpandValue(*scoped, *active_property, element);
      }
      return ExpandValue(*active_in, *active_property, element);
    }
    if (element.is_array()) {
      Json result = Json::array();
      for (const Json& item : element) {
        CAIRN_ASSIGN_OR_RETURN(Json expanded,
                               Expand(active_in, active_property, item, base_url, from_map));
        if (property_def && property_def->Has(kList) && expanded.is_array()) {
          expanded = Json{{"@list", std::move(expanded)}};
        }
        if (expanded.is_array()) {
          for (auto& e : expanded) result.push_back(std::move(e));
        } else if (!expanded.is_null()) {
          result.push_back(std::move(expanded));
        }
      }
      return result;
    }

    // Element is a map.
    CtxPtr active = active_in;
    if (active->previous && !from_map) {
      bool keep = false;
      bool only_id = element.size() == 1;
      for (const auto& [key, unused] : element.items()) {
        if (ExpandsToKeyword(*active, key, "@value")) keep = true;
        if (only_id && ExpandsToKeyword(*active, key, "@id")) keep = true;
      }
      if (!keep) active = active->previous;
    }
    if (has_property_scope) {
      CAIRN_ASSIGN_OR_RETURN(active, ProcessScoped(active, *property_def, true, true));
    }
    if (element.contains("@context")) {
      CAIRN_ASSIGN_OR_RETURN(active, ProcessCachedUrls(active, element["@context"], base_url));
    }
    CtxPtr type_scoped = active;
    std::optional<std::string> input_type;
    bool saw_type_key = false;
    for (const auto& [key, value] : element.items()) {
      if (!ExpandsToKeyword(*active, key, "@type")) continue;
      std::vector<std::string> terms;
      for (const Json& t : AsArray(value)) {
        if (t.is_string()) terms.push_back(t.get<std::string>());
      }
      std::sort(terms.begin(), terms.end());
      for (const std::string& t : terms) {
        const TermDef* def = type_scoped->Find(t);
        if (def && def->context) {
          CAIRN_ASSIGN_OR_RETURN(active, ProcessScoped(active, *def, false, false));
        }
      }
      if (!saw_type_key) {
        saw_type_key = true;
        Json values = AsArray(value);
        if (!values.empty() && values.back().is_string()) {
          input_type = ExpandIri(*active, values.back().get<std::string>(), false, true);
        }
      }
    }

    Json result = Json::object();
    CAIRN_RETURN_IF_ERROR(
        ExpandObject(active, type_scoped, active_property, element, result, input_type, base_url));

    if (result.contains("@value")) {
      for (const auto& [key, unused] : result.items()) {
        if (key != "@direction" && key != "@index" && key != "@language" && key != "@type" &&
            key != "@value") {
          return Error("invalid value object", key);
        }
      }
      if (result.contains("@type") &&
          (result.contains("@language") || result.contains("@direction"))) {
        return Error("invalid value object", "@type with @language or @direction");
      }
      const Json& v = result["@value"];
      bool is_json = result.contains("@type") && result["@type"] == "@json";
      if (!is_json) {
        if (v.is_null() || (v.is_array() && v.empty())) return Json();
        if (!v.is_string() && result.contains("@language")) {
          return Error("invalid language-tagged value", v.dump());
        }
        if (result.contains("@type")) {
          const Json& t = result["@type"];
          if (!t.is_string() || !IsAbsoluteIri(t.get<std::string>()) ||
              IsBlankId(t.get<std::string>()) ||
              t.get<std::string>().find_first_of(" \t\n\r") != std::string::npos) {
            return Error("invalid typed value", t.dump());
          }
        }
      }
    } else if (result.contains("@type") && !result["@type"].is_array()) {
      result["@type"] = AsArray(std::move(result["@type"]));
    } else if (result.contains("@set") || result.contains("@list")) {
      for (const auto& [key, unused] : result.items()) {
        if (key != "@set" && key != "@list" && key != "@index") {
          return Error("invalid set or list object", key);
        }
      }
      if (result.size() > 2 || (result.size() == 2 && !result.contains("@index"))) {
        return Error("invalid set or list object", "extra entries");
      }
      if (result.contains("@set")) {
        Json set = std::move(result["@set"]);
        result = std::move(set);
      }
    }
    if (result.is_object() && result.size() == 1 && result.contains("@language")) return Json();
    if (!active_property || *active_property == "@graph") {
      if (result.is_object() &&
          (result.empty() || result.contains("@value") || result.contains("@list"))) {
        return Json();
      }
      if (result.is_object() && result.size() == 1 && result.contains("@id")) return Json();
    }
    return result;
  }

  Status ExpandObject(const CtxPtr& active, const CtxPtr& type_scoped,
                      const std::string* active_property, const Json& element, Json& result,
                      const std::optional<std::string>& input_type, const std::string& base_url) {
    std::vector<std::string> nests;
    bool input_is_json = input_type && *input_type == "@json";
    for (const auto& [key, value] : element.items()) {
      if (key == "@context") continue;
      // A defined term (the usual key) expands to its IRI mapping: one lookup
      // serves both the expansion and the definition below.
      const TermDef* key_def = IsKeyword(key) || HasKeywordForm(key) ? nullptr : active->Find(key);
      auto expanded_property = key_def ? key_def->iri : ExpandIri(*active, key, false, true);
      if (!expanded_property) continue;
      const std::string& prop = *expanded_property;
      if (prop.find(':') == std::string::npos && !IsKeyword(prop)) continue;
      if (IsKeyword(prop)) {
        if (active_property && *active_property == "@reverse") {
          return Error("invalid reverse property map", key);
        }
        if (result.contains(prop) && prop != "@included" && prop != "@type") {
          return Error("colliding keywords", prop);
        }
        Json expanded_value;
        if (prop == "@id") {
          if (!value.is_string()) return Error("invalid @id value", value.dump());
          auto iri = ExpandIri(*active, value.get<std::string>(), true, false);
          // A keyword-like @id expands to null; keep it so the node is dropped later.
          result["@id"] = iri ? Json(*iri) : Json();
          continue;
        } else if (prop == "@type") {
          bool ok = value.is_string() ||
                    (value.is_array() && std::all_of(value.begin(), value.end(),
                                                     [](const Json& v) { return v.is_string(); }));
          if (!ok) return Error("invalid type value", value.dump());
          auto expand_type = [&](const Json& t) {
            auto iri = ExpandIri(*type_scoped, t.get<std::string>(), true, true);
            return iri ? Json(*iri) : Json();
          };
          if (value.is_string()) {
            expanded_value = expand_type(value);
          } else {
            expanded_value = Json::array();
            for (const Json& t : value) expanded_value.push_back(expand_type(t));
          }
          if (result.contains("@type")) {
            Json merged = AsArray(result["@type"]);
            for (auto& t : AsArray(expanded_value)) merged.push_back(std::move(t));
            expanded_value = std::move(merged);
          }
        } else if (prop == "@graph") {
          CAIRN_ASSIGN_OR_RETURN(expanded_value,
                                 Expand(active, &kGraphKey, value, base_url, false));
          expanded_value = AsArray(std::move(expanded_value));
        } else if (prop == "@included") {
          if (active->mode_1_0) continue;
          CAIRN_ASSIGN_OR_RETURN(expanded_value, Expand(active, nullptr, value, base_url, false));
          expanded_value = AsArray(std::move(expanded_value));
          for (const Json& item : expanded_value) {
            if (!item.is_object() || item.contains("@value") || item.contains("@list") ||
                item.contains("@set")) {
              return Error("invalid @included value", item.dump());
            }
          }
          if (result.contains("@included")) {
            Json merged = result["@included"];
            for (auto& item : expanded_value) merged.push_back(std::move(item));
            expanded_value = std::move(merged);
          }
        } else if (prop == "@value") {
          if (input_is_json) {
            if (active->mode_1_0) return Error("invalid value object value", "@json in 1.0");
            expanded_value = value;
          } else {
            if (!value.is_null() && !value.is_string() && !value.is_number() &&
                !value.is_boolean()) {
              return Error("invalid value object value", value.dump());
            }
            expanded_value = value;
            result["@value"] = expanded_value;  // null is kept: it drops the value later
            continue;
          }
        } else if (prop == "@language") {
          if (!value.is_string()) return Error("invalid language-tagged string", value.dump());
          expanded_value = ToLower(value.get<std::string>());
        } else if (prop == "@direction") {
          if (active->mode_1_0) continue;
          if (value != "ltr" && value != "rtl")
            return Error("invalid base direction", value.dump());
          expanded_value = value;
        } else if (prop == "@index") {
          if (!value.is_string()) return Error("invalid @index value", value.dump());
          expanded_value = value;
        } else if (prop == "@list") {
          if (!active_property || *active_property == "@graph") continue;
          CAIRN_ASSIGN_OR_RETURN(expanded_value,
                                 Expand(active, active_property, value, base_url, false));
          expanded_value = AsArray(std::move(expanded_value));
        } else if (prop == "@set") {
          CAIRN_ASSIGN_OR_RETURN(expanded_value,
                                 Expand(active, active_property, value, base_url, false));
        } else if (prop == "@reverse") {
          if (!value.is_object()) return Error("invalid @reverse value", value.dump());
          CAIRN_ASSIGN_OR_RETURN(expanded_value,
                                 Expand(active, &kReverseKey, value, base_url, false));
          if (expanded_value.contains("@reverse")) {
            for (auto& [property, items] : expanded_value["@reverse"].items()) {
              AppendTo(result, property, items);
            }
          }
          bool has_other = false;
          for (const auto& [property, unused] : expanded_value.items()) {
            if (property != "@reverse") has_other = true;
          }
          if (has_other) {
            Json& reverse_map = result["@reverse"];
            if (reverse_map.is_null()) reverse_map = Json::object();
            for (auto& [property, items] : expanded_value.items()) {
              if (property == "@reverse") continue;
              for (auto& item : AsArray(items)) {
                if (IsValueObject(item) || IsListObject(item)) {
                  return Error("invalid reverse property value", item.dump());
                }
                AppendTo(reverse_map, property, item);
              }
            }
          }
          continue;
        } else if (prop == "@nest") {
          nests.push_back(key);
          continue;
        } else {
          continue;  // framing keywords etc. are not supported here
        }
        if (expanded_value.is_null() && prop != "@value") continue;
        result[prop] = std::move(expanded_value);
        continue;
      }

      const TermDef* def = key_def;
      uint32_t container = def ? def->container : 0;
      Json expanded_value;
      if (def && def->type_mapping == "@json") {
        expanded_value = Json{{"@value", value}, {"@type", "@json"}};
      } else if ((container & kLanguage) != 0 && value.is_object()) {
        expanded_value = Json::array();
        std::optional<std::string> direction = active->default_direction;
        if (def->has_direction) direction = def->direction;
        for (const auto& [language, language_value] : value.items()) {
          for (const Json& item : AsArray(language_value)) {
            if (item.is_null()) continue;
            if (!item.is_string()) return Error("invalid language map value", item.dump());
            Json v{{"@value", item}};
            if (language != "@none" && ExpandIri(*active, language, false, true) != "@none") {
              v["@language"] = ToLower(language);
            }
            if (direction) v["@direction"] = *direction;
            expanded_value.push_back(std::move(v));
          }
        }
      } else if ((container & (kIndex | kType | kId)) != 0 && value.is_object()) {
        expanded_value = Json::array();
        std::string index_key = def->index ? *def->index : "@index";
        for (const auto& [index, index_value] : value.items()) {
          CtxPtr map_context = active;
          if ((container & (kId | kType)) != 0 && active->previous) map_context = active->previous;
          if ((container & kType) != 0) {
            const TermDef* index_def = map_context->Find(index);
            if (index_def && index_def->context) {
              CAIRN_ASSIGN_OR_RETURN(map_context,
                                     ProcessScoped(map_context, *index_def, false, true));
            }
          } else if ((container & kId) == 0) {
            map_context = active;
          }
          auto expanded_index = ExpandIri(*active, index, false, true);
          bool index_none = expanded_index == "@none";
          CAIRN_ASSIGN_OR_RETURN(Json items,
                                 Expand(map_context, &key, AsArray(index_value), base_url, true));
          for (Json& item : items) {
            if ((container & kGraph) != 0 && !IsGraphObject(item)) {
              item = Json{{"@graph", AsArray(std::move(item))}};
            }
            if ((container & kIndex) != 0 && index_key != "@index" && !index_none) {
              Json re_expanded = ExpandValue(*active, index_key, Json(index));
              auto expanded_index_key = ExpandIri(*active, index_key, false, true);
              if (!expanded_index_key) continue;
              Json values = Json::array({re_expanded});
              if (item.contains(*expanded_index_key)) {
                for (auto& v : AsArray(item[*expanded_index_key])) values.push_back(v);
              }
              item[*expanded_index_key] = std::move(values);
              if (IsValueObject(item) && item.size() > 1) {
                return Error("invalid value object", "property-valued index on a value");
              }
            } else if ((container & kIndex) != 0 && !item.contains("@index") && !index_none) {
              item["@index"] = index;
            } else if ((container & kId) != 0 && !item.contains("@id") && !index_none) {
              auto id = ExpandIri(*active, index, true, false);
              item["@id"] = id ? Json(*id) : Json();
            } else if ((container & kType) != 0 && !index_none) {
              Json types = Json::array({expanded_index ? Json(*expanded_index) : Json()});
              if (item.contains("@type")) {
                for (auto& t : AsArray(item["@type"])) types.push_back(t);
              }
              item["@type"] = std::move(types);
            }
            expanded_value.push_back(std::move(item));
          }
        }
      } else {
        CAIRN_ASSIGN_OR_RETURN(expanded_value, Expand(active, &key, value, base_url, false));
      }
      if (expanded_value.is_null()) continue;
      if ((container & kList) != 0 && !IsListObject(expanded_value)) {
        expanded_value = Json{{"@list", AsArray(std::move(expanded_value))}};
      }
      if ((container & kGraph) != 0 && (container & (kId | kIndex)) == 0) {
        Json graphs = Json::array();
        for (auto& ev : AsArray(std::move(expanded_value))) {
          graphs.push_back(Json{{"@graph", AsArray(std::move(ev))}});
        }
        expanded_value = std::move(graphs);
      }
      if (def && def->reverse) {
        Json& reverse_map = result["@reverse"];
        if (reverse_map.is_null()) reverse_map = Json::object();
        for (auto& item : AsArray(std::move(expanded_value))) {
          if (IsValueObject(item) || IsListObject(item)) {
            return Error("invalid reverse property value", item.dump());
          }
          AppendTo(reverse_map, prop, std::move(item));
        }
      } else {
        // AppendTo creates the (possibly empty) array; the IRI is not used
        // after this.
        AppendTo(result, std::move(*expanded_property), std::move(expanded_value));
      }
    }
    std::sort(nests.begin(), nests.end());
    for (const std::string& nesting_key : nests) {
      for (const Json& nested : AsArray(element[nesting_key])) {
        if (!nested.is_object()) return Error("invalid @nest value", nested.dump());
        for (const auto& [k, unused] : nested.items()) {
          if (ExpandIri(*active, k, false, true) == "@value") {
            return Error("invalid @nest value", "contains @value");
          }
        }
        // A nesting term may carry its own property-scoped context.
        CtxPtr nest_context = active;
        const TermDef* nest_def = active->Find(nesting_key);
        if (nest_def && nest_def->context) {
          CAIRN_ASSIGN_OR_RETURN(nest_context, ProcessScoped(active, *nest_def, true, true));
        }
        CAIRN_RETURN_IF_ERROR(ExpandObject(nest_context, type_scoped, active_property, nested,
                                           result, input_type, base_url));
      }
    }
    return Status::Ok();
  }

  Result<Json> ExpandDocument(const Json& input) {
    CtxPtr active = InitialContext();
    if (options_.expand_context) {
      const Json& ctx =
          options_.expand_context->is_object() && options_.expand_context->contains("@context")
              ? (*options_.expand_context)["@context"]
              : *options_.expand_context;
      CAIRN_ASSIGN_OR_RETURN(
          active, ProcessContext(active, ctx, nullptr, options_.base, {}, false, true, true));
    }
    CAIRN_ASSIGN_OR_RETURN(Json expanded, Expand(active, nullptr, input, options_.base, false));
    if (expanded.is_object() && expanded.size() == 1 && expanded.contains("@graph")) {
      expanded = std::move(expanded["@graph"]);
    }
    if (expanded.is_null()) expanded = Json::array();
    return AsArray(std::move(expanded));
  }

 private:
  const DocumentLoader& loader_;
  Processor::Cache& cache_;
  const Options& options_;
};

// ---------------------------------------------------------------------------
// Node map generation (7.2) and deserialization to RDF (8.1-8.4)
// ---------------------------------------------------------------------------

class BlankNodeIssuer {
 public:
  std::string Issue(const std::string& existing) {
    if (!existing.empty()) {
      auto it = issued_.find(existing);
      if (it != issued_.end()) return it->second;
    }
    std::string id = "_:b" + std::to_string(counter_++);
    if (!existing.empty()) issued_[existing] = id;
    return id;
  }
  std::string Fresh() { return Issue({}); }

 private:
  uint64_t counter_ = 0;
  std::unordered_map<std::string, std::string> issued_;
};

// Canonical xsd:double lexical form, matching jsonld.js (toExponential(15)).
std::string CanonicalDouble(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.15E", value);
  std::string s(buffer);
  size_t e = s.find('E');
  std::string mantissa = s.substr(0, e);
  std::string exponent = s.substr(e + 1);
  size_t last = mantissa.find_last_not_of('0');
  if (mantissa[last] == '.') ++last;
  mantissa.erase(last + 1);
  int exp_value = std::stoi(exponent);
  return mantissa + "E" + std::to_string(exp_value);
}

// Deserialization to RDF (8.1-8.4) straight from the expanded document:
// the quads the node map of 7.2 would hold are emitted while the document is
// walked in node map order, without building the map. Two differences, both
// invisible after canonicalization: a statement made twice is emitted twice
// (the node map merges it; RDFC drops duplicate quads), and list and
// compound-literal blank nodes get their labels in walk order.
class QuadEmitter {
 public:
  // Quads go to exactly one of `dataset` and `serialized`.
  QuadEmitter(BlankNodeIssuer& issuer, RdfDirection direction, rdf::Dataset* dataset,
              rdf::SerializedDataset* serialized)
      : issuer_(issuer), direction_(direction), dataset_(dataset), serialized_(serialized) {}

  Status Write(const Json& expanded) {
    // About one quad per array element: reserving avoids moving every quad
    // (12 strings each) through the vector's regrowths.
    const size_t expected = CountArrayElements(expanded);
    if (dataset_) dataset_->reserve(dataset_->size() + expected);
    if (serialized_) serialized_->Reserve(serialized_->size() + expected);
    const Graph default_graph{"@default", rdf::Term::DefaultGraph(), true};
    return Generate(expanded, default_graph, nullptr, nullptr, nullptr, nullptr);
  }

 private:
  struct Graph {
    std::string name;  // "@default" or the graph's node id
    rdf::Term term;
    bool valid = true;  // false: the name is no IRI or blank node, nothing in it is emitted
  };

  static std::optional<rdf::Term> Resource(const std::string& id) {
    if (IsBlankId(id)) return rdf::Term::Blank(id.substr(2));
    if (IsWellFormedIri(id)) return rdf::Term::Iri(id);
    return std::nullopt;
  }

  // The predicate of `property`, or nullopt when 8.2 skips it (keywords,
  // blank node properties, relative IRIs).
  static std::optional<rdf::Term> Predicate(const std::string& property) {
    if (IsKeyword(property) || IsBlankId(property) || !IsWellFormedIri(property)) {
      return std::nullopt;
    }
    return rdf::Term::Iri(property);
  }

  // The subject/predicate pair values of `property` of `subject` are stated
  // with, or nullopt when the node map's writer would drop them.
  struct Statement {
    rdf::Term subject;
    rdf::Term predicate;
  };
  // `subject` is Resource(the subject's id), computed once per node.
  static std::optional<Statement> StatementFor(const Graph& graph,
                                               const std::optional<rdf::Term>& subject,
                                               const std::string& property) {
    if (!graph.valid || !subject) return std::nullopt;
    auto predicate = Predicate(property);
    if (!predicate) return std::nullopt;
    return Statement{*subject, std::move(*predicate)};
  }

  // Whether `element` (node `id` of `graph`) repeats a node already emitted
  // with the same content and no fresh blank nodes in it, so that emitting
  // it again would only add duplicate quads (OB achievements repeat their
  // rubric levels in every result description). The node map would merge it.
  bool IsRepeat(const Graph& graph, const std::string& id, const Json& element) {
    std::string key = graph.name + '\n' + id;
    if (auto seen = emitted_.find(key); seen != emitted_.end()) {
      return seen->second != nullptr && *seen->second == element;
    }
    emitted_.emplace(std::move(key), MakesFreshBlankNodes(element) ? nullptr : &element);
    return false;
  }

  // Anonymous nodes, lists and compound literals get new blank nodes each
  // time they are emitted, so their quads are not duplicates.
  static bool MakesFreshBlankNodes(const Json& value) {
    if (value.is_array()) {
      return std::any_of(value.begin(), value.end(),
                         [](const Json& item) { return MakesFreshBlankNodes(item); });
    }
    if (!value.is_object()) return false;
    if (IsValueObject(value)) return value.contains("@direction");
    if (IsListObject(value) || !value.contains("@id")) return true;
    for (const auto& [key, item] : value.items()) {
      if (MakesFreshBlankNodes(item)) return true;
    }
    return false;
  }

  static size_t CountArrayElements(const Json& value) {
    size_t count = 0;
    if (value.is_array()) count += value.size();
    if (value.is_array() || value.is_object()) {
      for (const Json& item : value) count += CountArrayElements(item);
    }
    return count;
  }

  void Add(const Statement& statement, rdf::Term object, const Graph& graph) {
    Emit(statement.subject, statement.predicate, std::move(object), graph.term);
  }

  // A serialized quad is written straight from the terms; a Dataset gets copies.
  void Emit(const rdf::Term& subject, const rdf::Term& predicate, rdf::Term object,
            const rdf::Term& graph) {
    if (serialized_) {
      serialized_->Add(subject, predicate, object, graph);
    } else {
      dataset_->push_back({subject, predicate, std::move(object), graph});
    }
  }

  // 7.2 Node Map Generation, emitting instead of merging. `subject_ref` is
  // set for reverse properties; `list` collects the items of a list object;
  // `statement` is StatementFor(graph, active subject, active property),
  // computed once per property (null or empty: nothing to state).
  Status Generate(const Json& element, const Graph& graph, const std::string* subject_ref,
                  const std::optional<Statement>* statement, const std::string* active_property,
                  Json* list) {
    if (element.is_array()) {
      for (const Json& item : element) {
        CAIRN_RETURN_IF_ERROR(Generate(item, graph, subject_ref, statement, active_property, list));
      }
      return Status::Ok();
    }
    const Statement* stated = statement && statement->has_value() ? &**statement : nullptr;
    if (IsValueObject(element)) {
      if (list) {
        Json value = element;
        if (value.contains("@type") && value["@type"].is_string() &&
            IsBlankId(value["@type"].get<std::string>())) {
          value["@type"] = issuer_.Issue(value["@type"].get<std::string>());
        }
        (*list)["@list"].push_back(std::move(value));
      } else if (stated) {
        const Json& value = element.find("@value").value();
        if (serialized_ && element.size() == 1 && value.is_string()) {
          // The common plain string: written without building a literal Term.
          serialized_->AddLiteral(stated->subject, stated->predicate,
                                  value.get_ref<const std::string&>(), rdf::kXsdString, {},
                                  graph.term);
        } else if (auto object = ObjectToRdf(element, graph.term)) {
          // A value with a blank node @type is dropped by ObjectToRdf either way.
          Add(*stated, std::move(*object), graph);
        }
      }
      return Status::Ok();
    }
    if (IsListObject(element)) {
      Json result{{"@list", Json::array()}};
      CAIRN_RETURN_IF_ERROR(
          Generate(element["@list"], graph, subject_ref, statement, active_property, &result));
      if (list) {
        (*list)["@list"].push_back(std::move(result));
      } else if (stated) {
        Add(*stated, ListToRdf(result["@list"], graph.term), graph);
      }
      return Status::Ok();
    }
    // Node object. (A scalar here would recurse forever below: items() of a
    // scalar is the scalar itself.)
    if (!element.is_object()) return Error("invalid node object", "not an object");
    std::string id;
    const bool has_id = element.contains("@id");
    if (has_id) {
      const Json& given = element["@id"];
      if (given.is_null()) return Status::Ok();  // dropped IRI: cannot be a subject
      id = given.get<std::string>();
      if (IsBlankId(id)) id = issuer_.Issue(id);
    } else {
      id = issuer_.Fresh();
    }
    if (subject_ref) {
      if (auto reverse = StatementFor(graph, Resource(id), *active_property)) {
        if (auto object = Resource(*subject_ref)) Add(*reverse, std::move(*object), graph);
      }
    } else if (active_property) {
      if (list) {
        (*list)["@list"].push_back(Json{{"@id", id}});
      } else if (stated) {
        if (auto object = Resource(id)) Add(*stated, std::move(*object), graph);
      }
    }
    if (has_id && IsRepeat(graph, id, element)) return Status::Ok();
    const std::optional<rdf::Term> subject = graph.valid ? Resource(id) : std::nullopt;
    if (auto types = element.find("@type"); types != element.end()) {
      for (const Json& t : *types) {
        if (t.is_null()) continue;
        std::string type = t.get<std::string>();
        if (IsBlankId(type)) type = issuer_.Issue(type);
        auto type_term = Resource(type);
        if (subject && type_term) {
          static const rdf::Term kRdfType = rdf::Term::Iri(std::string(kRdf) + "type");
          Emit(*subject, kRdfType, std::move(*type_term), graph.term);
        }
      }
    }
    if (auto index = element.find("@index"); index != element.end()) {
      auto [seen, inserted] = indexes_.emplace(graph.name + '\n' + id, &*index);
      if (!inserted && *seen->second != *index) return Error("conflicting indexes", id);
    }
    if (auto reverse = element.find("@reverse"); reverse != element.end()) {
      for (const auto& [property, values] : reverse->items()) {
        for (const Json& value : values) {
          CAIRN_RETURN_IF_ERROR(Generate(value, graph, &id, nullptr, &property, nullptr));
        }
      }
    }
    if (auto named = element.find("@graph"); named != element.end()) {
      auto term = Resource(id);
      const Graph inner{id, term ? *term : rdf::Term::DefaultGraph(), term.has_value()};
      CAIRN_RETURN_IF_ERROR(Generate(*named, inner, nullptr, nullptr, nullptr, nullptr));
    }
    if (auto included = element.find("@included"); included != element.end()) {
      CAIRN_RETURN_IF_ERROR(Generate(*included, graph, nullptr, nullptr, nullptr, nullptr));
    }
    for (const auto& [property_in, value] : element.items()) {
      // Keywords are not properties: those above are handled, and the rest
      // (@language, @direction left on a node object) state nothing.
      if (IsKeyword(property_in)) continue;
      std::string property = property_in;
      if (IsBlankId(property)) property = issuer_.Issue(property);
      const std::optional<Statement> property_statement = StatementFor(graph, subject, property);
      CAIRN_RETURN_IF_ERROR(
          Generate(value, graph, nullptr, &property_statement, &property, nullptr));
    }
    return Status::Ok();
  }

  std::optional<rdf::Term> ObjectToRdf(const Json& item, const rdf::Term& graph) {
    const auto end = item.end();
    const auto id = item.find("@id");
    const auto value_it = item.find("@value");
    if (id != end && value_it == end) {
      if (!id->is_string()) return std::nullopt;
      return Resource(id->get_ref<const std::string&>());
    }
    if (IsListObject(item)) return ListToRdf(item["@list"], graph);
    if (value_it == end) return std::nullopt;
    const Json& value = *value_it;
    const auto type_it = item.find("@type");
    const auto language_it = item.find("@language");
    const bool has_language = language_it != end;
    std::optional<std::string> datatype;
    if (type_it != end) datatype = type_it->get<std::string>();
    if (datatype && *datatype != "@json" && !IsWellFormedIri(*datatype)) return std::nullopt;
    if (has_language && !IsWellFormedLanguage(language_it->get_ref<const std::string&>())) {
      return std::nullopt;
    }
    std::string lexical;
    if (datatype == "@json") {
      lexical = CanonicalJson(value);
      datatype = std::string(kRdf) + "JSON";
    } else if (value.is_boolean()) {
      lexical = value.get<bool>() ? "true" : "false";
      if (!datatype) datatype = std::string(kXsd) + "boolean";
    } else if (value.is_number()) {
      double d = value.get<double>();
      bool is_double_type = datatype == std::string(kXsd) + "double";
      if (value.is_number_float() &&
          (std::floor(d) != d || std::fabs(d) >= 1e21 || is_double_type)) {
        lexical = CanonicalDouble(d);
        if (!datatype) datatype = std::string(kXsd) + "double";
      } else if (!value.is_number_float() && is_double_type) {
        lexical = CanonicalDouble(d);
      } else {
        if (value.is_number_integer()) {
          lexical = value.is_number_unsigned() ? std::to_string(value.get<uint64_t>())
                                               : std::to_string(value.get<int64_t>());
        } else {
          char buffer[64];
          std::snprintf(buffer, sizeof buffer, "%.0f", d == 0 ? 0.0 : d);  // no "-0"
          lexical = buffer;
        }
        if (!datatype) datatype = std::string(kXsd) + "integer";
      }
    } else {
      lexical = value.get<std::string>();
      if (!datatype) {
        datatype = has_language ? std::string(rdf::kRdfLangString) : std::string(rdf::kXsdString);
      }
    }
    if (direction_ != RdfDirection::kNone && item.contains("@direction")) {
      std::string language = has_language ? ToLower(language_it->get<std::string>()) : "";
      std::string direction = item["@direction"].get<std::string>();
      if (direction_ == RdfDirection::kI18nDatatype) {
        return rdf::Term::Literal(lexical,
                                  "https://www.w3.org/ns/i18n#" + language + "_" + direction);
      }
      rdf::Term node = rdf::Term::Blank(issuer_.Fresh().substr(2));
      Emit(node, rdf::Term::Iri(std::string(kRdf) + "value"),
           rdf::Term::Literal(lexical, std::string(rdf::kXsdString)), graph);
      if (!language.empty()) {
        Emit(node, rdf::Term::Iri(std::string(kRdf) + "language"),
             rdf::Term::Literal(language, std::string(rdf::kXsdString)), graph);
      }
      Emit(node, rdf::Term::Iri(std::string(kRdf) + "direction"),
           rdf::Term::Literal(direction, std::string(rdf::kXsdString)), graph);
      return node;
    }
    if (has_language) {
      return rdf::Term::Literal(std::move(lexical), std::string(rdf::kRdfLangString),
                                language_it->get<std::string>());
    }
    return rdf::Term::Literal(std::move(lexical), std::move(*datatype));
  }

  rdf::Term ListToRdf(const Json& list, const rdf::Term& graph) {
    if (list.empty()) return rdf::Term::Iri(std::string(kRdf) + "nil");
    std::vector<rdf::Term> nodes;
    nodes.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      nodes.push_back(rdf::Term::Blank(issuer_.Fresh().substr(2)));
    }
    for (size_t i = 0; i < list.size(); ++i) {
      auto object = ObjectToRdf(list[i], graph);
      if (object) {
        Emit(nodes[i], rdf::Term::Iri(std::string(kRdf) + "first"), *object, graph);
      }
      rdf::Term rest =
          i + 1 < list.size() ? nodes[i + 1] : rdf::Term::Iri(std::string(kRdf) + "nil");
      Emit(nodes[i], rdf::Term::Iri(std::string(kRdf) + "rest"), rest, graph);
    }
    return nodes.front();
  }

  BlankNodeIssuer& issuer_;
  RdfDirection direction_;
  rdf::Dataset* dataset_;
  rdf::SerializedDataset* serialized_;
  // graph name + "\n" + node id -> the node's @index (7.2 step 6.5 conflicts)
  std::unordered_map<std::string, const Json*> indexes_;
  // graph name + "\n" + node id -> its first element, when IsRepeat may skip
  // identical ones (null: it makes fresh blank nodes)
  std::unordered_map<std::string, const Json*> emitted_;
};

// ---------------------------------------------------------------------------
// JCS (RFC 8785)
// ---------------------------------------------------------------------------

// ECMAScript Number.prototype.toString for finite doubles.
std::string EcmaNumber(double value) {
  if (value == 0) return "0";
  if (std::isnan(value) || std::isinf(value)) return "null";
  std::string sign = value < 0 ? "-" : "";
  double magnitude = std::fabs(value);
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, magnitude, std::chars_format::scientific);
  (void)ec;
  std::string sci(buffer, end);  // d.ddde[+-]xx
  size_t e = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits.push_back(sci[i]);
  }
  int exponent = std::stoi(sci.substr(e + 1));
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;
  std::string out;
  if (k <= n && n <= 21) {
    out = digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out = digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out = "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    out = digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
  }
  return sign + out;
}

std::u16string Utf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = 0;
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t j = 1; j < len && i + j < s.size(); ++j) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3Fu);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

void AppendJsonString(std::string_view s, std::string& out) {
  out.push_back('"');
  AppendEscaped(s, out);
  out.push_back('"');
}

void AppendCanonicalJson(const Json& value, std::string& out) {
  switch (value.type()) {
    case Json::value_t::object: {
      std::vector<std::pair<std::u16string, const std::string*>> keys;
      for (const auto& [key, unused] : value.items()) keys.emplace_back(Utf16(key), &key);
      std::sort(keys.begin(), keys.end());
      out.push_back('{');
      bool first = true;
      for (const auto& [unused, key] : keys) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(*key, out);
        out.push_back(':');
        AppendCanonicalJson(value[*key], out);
      }
      out.push_back('}');
      break;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const Json& item : value) {
        if (!first) out.push_back(',');
        first = false;
        AppendCanonicalJson(item, out);
      }
      out.push_back(']');
      break;
    }
    case Json::value_t::string:
      AppendJsonString(value.get_ref<const std::string&>(), out);
      break;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      break;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      out += EcmaNumber(value.get<double>());
      break;
    default:
      out += "null";
  }
}

}  // namespace

std::string CanonicalJson(const Json& value) {
  std::string out;
  AppendCanonicalJson(value, out);
  return out;
}

// ---------------------------------------------------------------------------
// Processor and loaders
// ---------------------------------------------------------------------------

Processor::Processor(const DocumentLoader& loader)
    : loader_(loader), cache_(std::make_unique<Cache>()) {}
Processor::~Processor() = default;

Result<Json> Processor::Expand(const Json& input, const Options& options) const {
  Engine engine(loader_, *cache_, options);
  return engine.ExpandDocument(input);
}

Result<rdf::Dataset> Processor::ToRdf(const Json& input, const Options& options) const {
  CAIRN_ASSIGN_OR_RETURN(Json expanded, Expand(input, options));
  BlankNodeIssuer issuer;
  rdf::Dataset dataset;
  CAIRN_RETURN_IF_ERROR(
      QuadEmitter(issuer, options.rdf_direction, &dataset, nullptr).Write(expanded));
  return dataset;
}

Status Processor::ToRdf(const Json& input, rdf::SerializedDataset& out,
                        const Options& options) const {
  CAIRN_ASSIGN_OR_RETURN(Json expanded, Expand(input, options));
  BlankNodeIssuer issuer;
  return QuadEmitter(issuer, options.rdf_direction, nullptr, &out).Write(expanded);
}

void StaticDocumentLoader::Add(std::string url, Json document) {
  documents_[std::move(url)] = std::make_shared<const Json>(std::move(document));
}

Result<std::shared_ptr<const Json>> StaticDocumentLoader::Load(const std::string& url) const {
  auto it = documents_.find(url);
  if (it != documents_.end()) return it->second;
  if (fallback_) return fallback_->Load(url);
  return Status::NotFound("no document for " + url);
}

}  // namespace cairn::jsonld

namespace cairn::jsonld {
namespace internal {
const std::vector<std::pair<std::string_view, std::string_view>>& BundledContextSources();
}  // namespace internal

namespace {

// Parses every bundled context once; immutable afterwards.
class BundledLoader : public DocumentLoader {
 public:
  BundledLoader() {
    for (const auto& [url, text] : internal::BundledContextSources()) {
      documents_.emplace(std::string(url), std::make_shared<const Json>(Json::parse(text)));
    }
  }
  Result<std::shared_ptr<const Json>> Load(const std::string& url) const override {
    auto it = documents_.find(url);
    if (it == documents_.end()) {
      return Status::NotFound("context not bundled (no network access): " + url);
    }
    return it->second;
  }

 private:
  std::map<std::string, std::shared_ptr<const Json>, std::less<>> documents_;
};

}  // namespace

const DocumentLoader& BundledContexts() {
  static const BundledLoader loader;
  return loader;
}

std::vector<std::string> BundledContextUrls() {
  std::vector<std::string> urls;
  for (const auto& [url, unused] : internal::BundledContextSources()) urls.emplace_back(url);
  return urls;
}

}  // namespace cairn::jsonld
