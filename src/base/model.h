// Domain model types shared by the services, the repository and both doors.
// Plain values; no behaviour beyond small conversions (model.cpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/base/pixel_layout.h"

namespace telerad {

using TimePoint = std::chrono::system_clock::time_point;

enum class StudyStatus { kReceiving, kReady, kClaimed, kReported, kCancelled };
enum class Priority { kStat, kUrgent, kRoutine };  // sort order: most urgent first
enum class ModalityClass { kCt, kXray, kOther };
enum class Role { kAdmin, kRadiologist, kFacility, kMinistry, kSpecialist };
enum class ReportStatus { kDraft, kFinal };

const char* ToString(StudyStatus s);    // "receiving", ...
const char* ToString(Priority p);       // "stat", "urgent", "routine"
const char* ToString(ModalityClass c);  // "CT", "XRAY", "OTHER"
const char* ToString(Role r);           // "admin", ...
std::optional<StudyStatus> ParseStudyStatus(const std::string& s);
std::optional<Priority> ParsePriority(const std::string& s);
std::optional<ModalityClass> ParseModalityClass(const std::string& s);
std::optional<Role> ParseRole(const std::string& s);

// The ministry's grouping of a DICOM Modality (0008,0060): CT; X-ray is CR, DX, DR, MG,
// RF, XA (DESIGN.md, "KPIs"); everything else OTHER.
ModalityClass ClassifyModality(const std::string& modality);

struct ReturnDicom {
  std::string host;
  int port = 0;
  std::string ae_title;
};

struct Facility {
  int64_t id = 0;
  std::string code;
  std::string name;
  std::string aimag;
  std::string soum;
  std::string ae_title;
  bool active = true;
  std::optional<ReturnDicom> return_dicom;
  // Who may send under ae_title (issue 12). Networks in CIDR form the peer address must
  // lie in (empty: any); whether only DICOM TLS is accepted; the SHA-256 fingerprint of
  // its TLS client certificate (64 lower-case hex digits of the DER form; empty: none,
  // so it cannot send over TLS).
  std::vector<std::string> allowed_networks;
  bool require_tls = false;
  std::string tls_client_sha256;
  // Bumped by every change of the entry; a change applies only to the version it was
  // merged onto (FacilityRepository::Update).
  int version = 1;
};

// What the DICOM door read from one received instance's header, already in UTF-8.
// UIDs are as found: IngestService validates them before any use.
struct InstanceHeader {
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string study_uid;
  std::string series_uid;
  std::string transfer_syntax_uid;
  std::string modality;
  std::string patient_id;
  std::string patient_name;        // DICOM PN, UTF-8, components joined by '^'
  std::string patient_birth_date;  // YYYYMMDD or empty
  std::string patient_sex;
  std::string accession_number;
  std::string study_date;  // YYYYMMDD or empty
  std::string study_description;
  std::string series_description;
  std::optional<int> series_number;
  std::optional<int> instance_number;
  std::string study_time;           // TM as sent, e.g. 093015.12, or empty
  std::string referring_physician;  // DICOM PN, UTF-8, components joined by '^'
  std::string dicom_study_id;       // (0020,0010) SH
  std::optional<int> rows;
  std::optional<int> columns;
  std::optional<int> bits_allocated;
  std::optional<int> number_of_frames;  // 1 for a single-frame image; unset without pixels
  // The whole data set as DICOM JSON (PS3.18 F, dicom/dicom_json_writer.h); empty when
  // the door did not describe the instance.
  std::string dicom_json;
  // Where each frame lies in the stored file; unset without pixel data or when the
  // frames cannot be located (deflated data set, unknown fragment boundaries).
  std::optional<PixelLayout> pixel_layout;
};

// One instance ready to be indexed: header plus where its file now lives.
struct InstanceRecord {
  int64_t facility_id = 0;
  InstanceHeader header;
  ModalityClass modality_class = ModalityClass::kOther;
  std::string storage_key;
  uint64_t size_bytes = 0;
};

struct Patient {
  std::string id;
  std::string name;
  std::string birth_date;  // ISO 8601 date or empty
  std::string sex;
};

struct SeriesSummary {
  std::string series_uid;
  std::string modality;
  std::optional<int> series_number;
  std::string description;
  int num_instances = 0;
};

struct Study {
  int64_t id = 0;
  std::string study_uid;
  StudyStatus status = StudyStatus::kReceiving;
  Priority priority = Priority::kRoutine;
  ModalityClass modality_class = ModalityClass::kOther;
  std::vector<std::string> modalities;
  Facility facility;  // code, name, aimag filled
  Patient patient;
  std::string accession_number;
  std::string study_date;  // ISO 8601 date or empty
  std::string description;
  std::string clinical_info;
  int num_series = 0;
  int num_instances = 0;
  uint64_t size_bytes = 0;
  TimePoint received_at;
  std::optional<TimePoint> ready_at;
  std::optional<TimePoint> sla_due_at;
  std::optional<std::string> claimed_by;
  std::optional<TimePoint> claim_expires_at;
  std::optional<TimePoint> reported_at;
  bool critical_pending = false;  // a critical finding the facility has not acknowledged
  std::optional<ReportStatus> report_status;  // none yet, draft or final
  std::vector<SeriesSummary> series;          // filled by single-study reads only
};

// kNone: the facility has no return DICOM address; kPending: a C-STORE is due or being
// retried; kDelivered: the facility's PACS acknowledged it.
enum class DeliveryState { kNone, kPending, kDelivered };
const char* ToString(ReportStatus s);   // "draft", "final"
const char* ToString(DeliveryState s);  // "none", "pending", "delivered"
std::optional<ReportStatus> ParseReportStatus(const std::string& s);
std::optional<DeliveryState> ParseDeliveryState(const std::string& s);

struct Addendum {
  std::string text;
  std::string author;
  TimePoint created_at;
};

struct Delivery {
  DeliveryState state = DeliveryState::kNone;
  int attempts = 0;
  std::string last_error;
  std::optional<TimePoint> next_attempt_at;
  std::optional<TimePoint> delivered_at;
};

// A study's report: findings, impression, ICD codes (ICD-10 or ICD-11), the critical
// flag; final once signed, then extended only by addenda. Text is UTF-8.
struct Report {
  int64_t id = 0;
  std::string study_uid;
  ReportStatus status = ReportStatus::kDraft;
  int version = 0;
  std::string findings;
  std::string impression;
  std::vector<std::string> icd_codes;
  bool critical = false;
  std::string author;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<std::string> signed_by;
  std::optional<TimePoint> signed_at;
  std::optional<std::string> critical_acknowledged_by;
  std::optional<TimePoint> critical_acknowledged_at;
  std::vector<Addendum> addenda;
  Delivery delivery;
};

// An online-hospital e-examination (цахим үзлэг, DESIGN.md flow 5): booked by a facility,
// accepted with a slot and completed by a specialist, or cancelled, or not attended.
enum class ConsultationStatus { kRequested, kAccepted, kCompleted, kCancelled, kNoShow };
const char* ToString(ConsultationStatus s);  // "requested", ..., "no_show"
std::optional<ConsultationStatus> ParseConsultationStatus(const std::string& s);

struct Consultation {
  int64_t id = 0;
  Facility facility;  // id, code, name, aimag filled
  Patient patient;
  std::string specialty;
  std::string reason;
  TimePoint requested_at;  // when the facility would like it to happen
  ConsultationStatus status = ConsultationStatus::kRequested;
  std::optional<TimePoint> slot_at;       // the time the specialist gave
  std::optional<int64_t> specialist_id;   // who accepted it
  std::optional<std::string> specialist;  // their username
  std::string conclusion;
  std::vector<std::string> icd_codes;
  std::string cancel_reason;
  int version = 1;
  TimePoint created_at;
  std::optional<TimePoint> accepted_at;
  std::optional<TimePoint> completed_at;
  std::optional<TimePoint> closed_at;  // cancelled or marked no-show
};

// An authenticated caller, as every service sees it.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kRadiologist;
  std::optional<int64_t> facility_id;  // facility users only
  // A facility's machine token (a gateway storing by STOW-RS), not an account: role
  // kFacility, user_id 0, username "machine:<facility code>/<token name>". The HTTP door
  // admits it only on routes that take machine tokens.
  bool machine = false;
};

}  // namespace telerad
