#include "src/base/model.h"

#include <array>
#include <utility>

namespace telerad {
namespace {

template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, const char*>, N>& table,
                        const std::string& s) {
  for (const auto& [value, name] : table)
    if (s == name) return value;
  return std::nullopt;
}

template <typename E, size_t N>
const char* Name(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [value, name] : table)
    if (value == e) return name;
  return "";
}

constexpr std::array<std::pair<StudyStatus, const char*>, 5> kStatusNames{{
    {StudyStatus::kReceiving, "receiving"},
    {StudyStatus::kReady, "ready"},
    {StudyStatus::kClaimed, "claimed"},
    {StudyStatus::kReported, "reported"},
    {StudyStatus::kCancelled, "cancelled"},
}};
constexpr std::array<std::pair<Priority, const char*>, 3> kPriorityNames{
    {{Priority::kStat, "stat"}, {Priority::kUrgent, "urgent"}, {Priority::kRoutine, "routine"}}};
constexpr std::array<std::pair<ModalityClass, const char*>, 3> kClassNames{
    {{ModalityClass::kCt, "CT"}, {ModalityClass::kXray, "XRAY"}, {ModalityClass::kOther, "OTHER"}}};
constexpr std::array<std::pair<Role, const char*>, 5> kRoleNames{
    {{Role::kAdmin, "admin"},
     {Role::kRadiologist, "radiologist"},
     {Role::kFacility, "facility"},
     {Role::kMinistry, "ministry"},
     {Role::kSpecialist, "specialist"}}};
constexpr std::array<std::pair<ReportStatus, const char*>, 2> kReportStatusNames{
    {{ReportStatus::kDraft, "draft"}, {ReportStatus::kFinal, "final"}}};
constexpr std::array<std::pair<DeliveryState, const char*>, 3> kDeliveryNames{
    {{DeliveryState::kNone, "none"},
     {DeliveryState::kPending, "pending"},
     {DeliveryState::kDelivered, "delivered"}}};
constexpr std::array<std::pair<ConsultationStatus, const char*>, 5> kConsultationStatusNames{
    {{ConsultationStatus::kRequested, "requested"},
     {ConsultationStatus::kAccepted, "accepted"},
     {ConsultationStatus::kCompleted, "completed"},
     {ConsultationStatus::kCancelled, "cancelled"},
     {ConsultationStatus::kNoShow, "no_show"}}};

}  // namespace

const char* ToString(ConsultationStatus s) { return Name(kConsultationStatusNames, s); }
std::optional<ConsultationStatus> ParseConsultationStatus(const std::string& s) {
  return Lookup(kConsultationStatusNames, s);
}
const char* ToString(StudyStatus s) { return Name(kStatusNames, s); }
const char* ToString(Priority p) { return Name(kPriorityNames, p); }
const char* ToString(ModalityClass c) { return Name(kClassNames, c); }
const char* ToString(Role r) { return Name(kRoleNames, r); }
const char* ToString(ReportStatus s) { return Name(kReportStatusNames, s); }
const char* ToString(DeliveryState s) { return Name(kDeliveryNames, s); }
std::optional<ReportStatus> ParseReportStatus(const std::string& s) {
  return Lookup(kReportStatusNames, s);
}
std::optional<DeliveryState> ParseDeliveryState(const std::string& s) {
  return Lookup(kDeliveryNames, s);
}
std::optional<StudyStatus> ParseStudyStatus(const std::string& s) {
  return Lookup(kStatusNames, s);
}
std::optional<Priority> ParsePriority(const std::string& s) { return Lookup(kPriorityNames, s); }
std::optional<ModalityClass> ParseModalityClass(const std::string& s) {
  return Lookup(kClassNames, s);
}
std::optional<Role> ParseRole(const std::string& s) { return Lookup(kRoleNames, s); }

ModalityClass ClassifyModality(const std::string& modality) {
  if (modality == "CT") return ModalityClass::kCt;
  static const char* kXray[] = {"CR", "DX", "DR", "MG", "RF", "XA"};
  for (const char* m : kXray)
    if (modality == m) return ModalityClass::kXray;
  return ModalityClass::kOther;
}

}  // namespace telerad
