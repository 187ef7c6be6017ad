#include "api/stow_response.h"

#include <set>

namespace telerad::api {
namespace {

// One attribute in the PS3.18 F.2.2 form; no Value when `value` is empty.
nlohmann::json Attribute(const char* vr, const std::string& value) {
  nlohmann::json a = {{"vr", vr}};
  if (!value.empty()) a["Value"] = nlohmann::json::array({value});
  return a;
}

}  // namespace

std::string StudyUrl(const std::string& study_uid) { return "/dicomweb/studies/" + study_uid; }

std::string InstanceUrl(const StowInstanceOutcome& o) {
  return StudyUrl(o.study_uid) + "/series/" + o.series_uid + "/instances/" + o.sop_instance_uid;
}

Reply StowResponse(const std::vector<StowInstanceOutcome>& outcomes) {
  nlohmann::json referenced = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  std::set<std::string> studies;
  for (const StowInstanceOutcome& o : outcomes) {
    nlohmann::json item = {{"00081150", Attribute("UI", o.sop_class_uid)},
                           {"00081155", Attribute("UI", o.sop_instance_uid)}};
    if (o.failure == stow_failure::kNone) {
      item["00081190"] = Attribute("UR", InstanceUrl(o));
      referenced.push_back(std::move(item));
      studies.insert(o.study_uid);
    } else {
      item["00081197"] = {{"vr", "US"}, {"Value", {o.failure}}};
      failed.push_back(std::move(item));
    }
  }
  nlohmann::json body = nlohmann::json::object();
  if (studies.size() == 1) body["00081190"] = Attribute("UR", StudyUrl(*studies.begin()));
  if (!failed.empty()) body["00081198"] = {{"vr", "SQ"}, {"Value", failed}};
  if (!referenced.empty()) body["00081199"] = {{"vr", "SQ"}, {"Value", referenced}};
  const int status = failed.empty() ? 200 : referenced.empty() ? 409 : 202;
  Reply reply = Reply::Json(body, status);
  reply.content_type = "application/dicom+json";
  return reply;
}

}  // namespace telerad::api
