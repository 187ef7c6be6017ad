#include "src/kpi/kpi_indicators.h"

namespace telerad {

const std::vector<KpiIndicator>& KpiIndicators() {
  // Mongolian labels follow the wording of the ministry's 2025 half-year report
  // (shared/seeds): "Телемедицин нэвтэрсэн эрүүл мэндийн байгууллагын тоо", "“Цахим
  // эмнэлэг”-ийн үйл ажиллагааг нэвтрүүлсэн эрүүл мэндийн байгууллагын тоо", "дүрс
  // оношилгоо хариу дүгнэлт", "цахим үзлэг".
  static const std::vector<KpiIndicator> indicators = {
      {"image_diagnoses", "Зайн оношилгооны дүрс оношилгооны хариу дүгнэлтийн тоо",
       "Remote image diagnoses issued (signed reports)", "count", true},
      {"image_diagnoses_ct", "Үүнээс КТ шинжилгээ", "of which CT", "count", true},
      {"image_diagnoses_xray", "Үүнээс рентген шинжилгээ", "of which X-ray", "count", true},
      {"image_diagnoses_other", "Үүнээс бусад дүрс шинжилгээ", "of which other modalities", "count",
       true},
      {"studies_received", "Зайн оношилгоонд ирсэн дүрс шинжилгээний тоо",
       "Image studies received for remote diagnosis", "count", true},
      {"telemedicine_facilities", "Телемедицин нэвтэрсэн эрүүл мэндийн байгууллагын тоо",
       "Health facilities with telemedicine", "count", true},
      {"e_examinations", "“Цахим эмнэлэг”-ээр хийгдсэн цахим үзлэгийн тоо",
       "Online-hospital e-examinations completed", "count", true},
      {"online_hospital_facilities",
       "“Цахим эмнэлэг”-ийн үйл ажиллагааг нэвтрүүлсэн эрүүл мэндийн байгууллагын тоо",
       "Health facilities with online-hospital activity", "count", true},
      {"turnaround_median_hours", "Хариу дүгнэлт гаргах хугацааны медиан (цаг)",
       "Median turnaround, ready to signed (hours)", "hours", false},
      {"sla_breach_percent", "Хугацаа хэтэрсэн хариу дүгнэлтийн хувь",
       "Reports signed after their SLA deadline (%)", "percent", false},
  };
  return indicators;
}

const KpiIndicator* FindKpiIndicator(const std::string& id) {
  for (const KpiIndicator& i : KpiIndicators())
    if (i.id == id) return &i;
  return nullptr;
}

}  // namespace telerad
