#include "api/viewer_config.h"

#include <nlohmann/json.hpp>

namespace telerad::api {

std::string ViewerAppConfig() {
  using nlohmann::json;
  // Settings read from OHIF 3.13.2's dist (its default app-config.js and app bundle).
  const json data_source = {
      {"namespace", "@ohif/extension-default.dataSourcesModule.dicomweb"},
      {"sourceName", "telerad"},
      {"configuration",
       {
           {"friendlyName", "telerad"},
           {"name", "telerad"},
           {"qidoRoot", "/dicomweb"},
           {"wadoRoot", "/dicomweb"},
           {"wadoUriRoot", "/dicomweb"},
           {"qidoSupportsIncludeField", true},
           {"imageRendering", "wadors"},
           // Series thumbnails as a small JPEG telerad renders (`…/instances/{i}/rendered
           // ?viewport=256,256`, fetched with the session cookie), not as a full frame the
           // browser downloads (512 KiB for a CT slice), decodes in a worker and draws:
           // with "wadors" that thumbnail frame went out before the viewport's first
           // frame and competed with it (OHIF 3.13.2, getGetThumbnailSrc in the default
           // extension's DICOMweb source: "rendered" with the "fetch" strategy).
           {"thumbnailRendering", "rendered"},
           {"thumbnailRequestStrategy", "fetch"},
           {"enableStudyLazyLoad", true},
           {"supportsFuzzyMatching", false},
           {"supportsWildcard", true},
           {"staticWado", false},
           {"singlepart", "bulkdata,video"},
           {"bulkDataURI", {{"enabled", true}, {"relativeResolution", "studies"}}},
           {"omitQuotationForMultipartRequest", true},
           // No STOW from the viewer: images come from the facilities.
           {"dicomUploadEnabled", false},
       }},
  };
  const json config = {
      {"routerBasename", "/"},
      {"extensions", json::array()},
      {"modes", json::array()},
      {"showStudyList", true},
      {"maxNumberOfWebWorkers", 3},
      {"showWarningMessageForCrossOrigin", false},
      {"showCPUFallbackMessage", true},
      {"showLoadingIndicator", true},
      {"strictZSpacingForVolumeViewport", true},
      {"groupEnabledModesFirst", true},
      {"maxNumRequests", {{"interaction", 100}, {"thumbnail", 5}, {"prefetch", 25}}},
      {"showErrorDetails", "production"},
      {"defaultDataSourceName", "telerad"},
      {"dataSources", json::array({data_source})},
      // The investigational-use banner and the first-visit tours cover the image a
      // radiologist opened; OHIF reads both from here (InvestigationalUseDialog's
      // "never" option, the 'ohif.tours' customization).
      {"investigationalUseDialog", {{"option", "never"}}},
      {"customizationService", {{"ohif.tours", {{"$set", json::array()}}}}},
  };
  return "// Written by telerad (api/viewer_config.cpp): the viewer reads telerad's DICOMweb.\n"
         "window.config = " +
         config.dump(2) + ";\n";
}

}  // namespace telerad::api
