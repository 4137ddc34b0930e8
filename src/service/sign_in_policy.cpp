#include "service/sign_in_policy.h"

#include <nlohmann/json.hpp>

#include "common/json_fields.h"

namespace cairn {
namespace {

constexpr PersonRole kRoles[] = {PersonRole::kStudent,        PersonRole::kTeacher,
                                 PersonRole::kGuardian,       PersonRole::kSchoolLeader,
                                 PersonRole::kDistrictLeader, PersonRole::kAdmin};

unsigned Bit(PersonRole role) { return 1u << static_cast<unsigned>(role); }

}  // namespace

SignInPolicy SignInPolicy::Everyone() {
  SignInPolicy policy;
  for (PersonRole role : kRoles) policy.Set(role, true);
  return policy;
}

SignInPolicy SignInPolicy::AdminsOnly() { return SignInPolicy(); }

bool SignInPolicy::Allows(PersonRole role) const {
  return role == PersonRole::kAdmin || (roles_ & Bit(role)) != 0;
}

void SignInPolicy::Set(PersonRole role, bool allowed) {
  if (role == PersonRole::kAdmin) return;  // always allowed
  if (allowed) {
    roles_ |= Bit(role);
  } else {
    roles_ &= ~Bit(role);
  }
}

std::string SignInPolicy::ToJson() const {
  nlohmann::json roles = nlohmann::json::array();
  for (PersonRole role : kRoles) {
    if (Allows(role)) roles.push_back(std::string(PersonRoleName(role)));
  }
  return nlohmann::json{{"roles", roles}, {"methods", {"password"}}}.dump();
}

Result<SignInPolicy> ParseSignInPolicy(std::string_view text) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::InvalidField("sign_in", "expected a JSON object");
  }
  SignInPolicy policy = SignInPolicy::AdminsOnly();
  std::vector<FieldError> errors;
  const auto& roles = doc.contains("roles") ? doc["roles"] : nlohmann::json();
  if (!roles.is_array()) {
    errors.push_back({"roles", "expected a list of roles"});
  } else {
    for (std::size_t i = 0; i < roles.size(); ++i) {
      const std::string field = "roles[" + std::to_string(i) + "]";
      auto role =
          roles[i].is_string() ? ParsePersonRole(roles[i].get<std::string>()) : std::nullopt;
      if (!role) {
        errors.push_back({field,
                          "not a role (student, teacher, guardian, school_leader, "
                          "district_leader, admin)"});
        continue;
      }
      policy.Set(*role, true);
    }
  }
  if (doc.contains("methods")) {
    const auto& methods = doc["methods"];
    if (!methods.is_array()) {
      errors.push_back({"methods", "expected a list of sign-in methods"});
    } else {
      for (std::size_t i = 0; i < methods.size(); ++i) {
        if (methods[i] != "password") {
          errors.push_back({"methods[" + std::to_string(i) + "]",
                            "only \"password\" sign-in is offered by this version"});
        }
      }
    }
  }
  if (!errors.empty()) return Status::InvalidFields(std::move(errors));
  return policy;
}

Result<SignInPolicy> LoadSignInPolicy(LedgerStore& store) {
  CAIRN_ASSIGN_OR_RETURN(auto text, store.GetSetting(kSignInSetting));
  if (!text) return SignInPolicy::Everyone();
  return ParseSignInPolicy(*text);
}

}  // namespace cairn
