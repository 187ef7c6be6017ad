#include "src/vocabulary/template_service.h"

#include <algorithm>
#include <cctype>

#include "src/base/text.h"

namespace telerad {
namespace {

Status AdminOnly(const Principal& who) {
  if (who.role != Role::kAdmin) return Status::PermissionDenied("only admins change templates");
  return Status::Ok();
}

std::string UpperAscii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool IsLanguage(const std::string& s) { return s == "mn" || s == "en"; }
bool IsModalityClass(const std::string& s) { return s == "CT" || s == "XRAY" || s == "OTHER"; }

// DICOM Body Part Examined (0018,0015) is VR CS: upper-case letters, digits, space and
// underscore, at most 16 characters (PS3.5 table 6.2-1).
bool IsBodyPart(const std::string& s) {
  return !s.empty() && s.size() <= 16 && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_';
  });
}

// Text a person typed: line breaks and tabs are fine, other control characters are not.
bool IsPlainText(const std::string& s) {
  return std::none_of(s.begin(), s.end(), [](unsigned char c) {
    return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
  });
}

}  // namespace

Status ValidateTemplate(ReportTemplate& t) {
  t.name = Trimmed(t.name);
  if (t.name.empty() || t.name.size() > 200 ||
      std::any_of(t.name.begin(), t.name.end(), [](unsigned char c) { return c < 0x20; }))
    return Status::Unprocessable("'name' must be 1 to 200 bytes without control characters");
  if (!IsLanguage(t.language)) return Status::Unprocessable("'language' must be mn or en");
  t.modality_class = UpperAscii(Trimmed(t.modality_class));
  if (!t.modality_class.empty() && !IsModalityClass(t.modality_class))
    return Status::Unprocessable("'modality_class' must be CT, XRAY, OTHER or null (any)");
  t.body_part = UpperAscii(Trimmed(t.body_part));
  if (!t.body_part.empty() && !IsBodyPart(t.body_part))
    return Status::Unprocessable(
        "'body_part' must be a DICOM Body Part Examined term (1-16 of A-Z, 0-9, space, _) or "
        "null (any)");
  for (auto [field, text] :
       {std::pair{"findings", &t.findings}, std::pair{"impression", &t.impression}}) {
    if (text->size() > kMaxTemplateTextBytes)
      return Status::Unprocessable(std::string("'") + field + "' must be at most 65536 bytes");
    if (!IsPlainText(*text))
      return Status::Unprocessable(std::string("'") + field +
                                   "' must not contain control characters");
  }
  if (Trimmed(t.findings).empty() && Trimmed(t.impression).empty())
    return Status::Unprocessable("a template needs 'findings' or an 'impression'");
  return Status::Ok();
}

Status NormaliseTemplateFilter(TemplateFilter& f) {
  if (f.language && !IsLanguage(*f.language))
    return Status::InvalidArgument("'language' must be mn or en");
  if (f.modality_class) {
    *f.modality_class = UpperAscii(*f.modality_class);
    if (!IsModalityClass(*f.modality_class))
      return Status::InvalidArgument("'modality_class' must be CT, XRAY or OTHER");
  }
  if (f.body_part) {
    *f.body_part = UpperAscii(*f.body_part);
    if (!IsBodyPart(*f.body_part))
      return Status::InvalidArgument("'body_part' must be a DICOM Body Part Examined term");
  }
  return Status::Ok();
}

TemplateService::TemplateService(TemplateRepository& templates) : templates_(templates) {}

Result<std::vector<ReportTemplate>> TemplateService::List(const Principal& who,
                                                          TemplateFilter filter) {
  if (who.role != Role::kAdmin && who.role != Role::kRadiologist)
    return Status::PermissionDenied("report templates are for radiologists and admins");
  if (Status s = NormaliseTemplateFilter(filter); !s.ok()) return s;
  filter.active_only = who.role != Role::kAdmin;
  return templates_.List(filter);
}

Result<ReportTemplate> TemplateService::Create(const Principal& who, ReportTemplate t,
                                               AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  if (Status s = ValidateTemplate(t); !s.ok()) return s;
  t.updated_by = who.username;
  return templates_.Create(t, audit);
}

Result<ReportTemplate> TemplateService::Update(const Principal& who, ReportTemplate t,
                                               std::optional<int> expected_version,
                                               AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  if (Status s = ValidateTemplate(t); !s.ok()) return s;
  if (!expected_version)
    return Status::FailedPrecondition(
        "say which version of the template is edited (If-Match or \"version\")");
  t.updated_by = who.username;
  return templates_.Update(t, *expected_version, audit);
}

Status TemplateService::Delete(const Principal& who, int64_t id, AuditEntry& audit) {
  if (Status s = AdminOnly(who); !s.ok()) return s;
  return templates_.Delete(id, audit);
}

}  // namespace telerad
