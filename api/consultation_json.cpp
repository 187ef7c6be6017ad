#include "api/consultation_json.h"

#include "api/json_common.h"

namespace telerad::api {

nlohmann::json ConsultationJson(const Consultation& c) {
  return {
      {"id", c.id},
      {"facility",
       {{"code", c.facility.code}, {"name", c.facility.name}, {"aimag", c.facility.aimag}}},
      {"patient",
       {{"id", c.patient.id},
        {"name", c.patient.name},
        {"birth_date", c.patient.birth_date.empty() ? nlohmann::json(nullptr)
                                                    : nlohmann::json(c.patient.birth_date)},
        {"sex", c.patient.sex}}},
      {"specialty", c.specialty},
      {"reason", c.reason},
      {"requested_at", FormatTime(c.requested_at)},
      {"status", ToString(c.status)},
      {"slot_at", OptionalTime(c.slot_at)},
      {"specialist", OptionalText(c.specialist)},
      {"conclusion", c.conclusion},
      {"icd_codes", c.icd_codes},
      {"cancel_reason", c.cancel_reason},
      {"version", c.version},
      {"created_at", FormatTime(c.created_at)},
      {"accepted_at", OptionalTime(c.accepted_at)},
      {"completed_at", OptionalTime(c.completed_at)},
      {"closed_at", OptionalTime(c.closed_at)},
  };
}

}  // namespace telerad::api
