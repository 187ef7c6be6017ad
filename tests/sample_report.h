// A signed report on a Mongolian patient, shared by the SR unit test and the sender's
// integration test so both check the same document.
#pragma once

#include <chrono>

#include "src/reading/report_sender.h"

namespace telerad::testing {

inline TimePoint UtcSeconds(std::time_t secs) {
  return std::chrono::system_clock::from_time_t(secs);
}

inline ReportDocument SampleReportDocument() {
  ReportDocument doc;
  Study& study = doc.study;
  study.study_uid = "2.25.31415926535897932384626433832795";
  study.facility.code = "UB-01";
  study.facility.name = "Улаанбаатар Төв Эмнэлэг";
  study.patient.id = "MN-000123";
  study.patient.name = "Батболд^Өлзий";
  study.patient.birth_date = "1985-03-14";
  study.patient.sex = "F";
  study.accession_number = "ACC-2024-77";
  study.study_date = "2024-06-09";
  study.description = "Цээжний рентген";
  Report& report = doc.report;
  report.study_uid = study.study_uid;
  report.status = ReportStatus::kFinal;
  report.version = 2;
  report.findings = "Баруун уушгины доод дэлбэнд нэвчдэс илэрсэн.";
  report.impression = "Баруун талын уушгины хатгалгаа.";
  report.icd_codes = {"J18.9", "CA40.0"};
  report.critical = true;
  report.author = "rad1";
  report.signed_by = "rad1";
  report.signed_at = UtcSeconds(1718000000);  // 2024-06-10 06:13:20 UTC
  report.addenda.push_back(
      {"Хяналтын зураг 2 долоо хоногийн дараа.", "rad2", UtcSeconds(1718003600)});
  doc.sr_series_uid = "2.25.27182818284590452353602874713526";
  doc.sr_instance_uid = "2.25.16180339887498948482045868343656";
  return doc;
}

}  // namespace telerad::testing
