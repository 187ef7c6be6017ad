#include "dicom/sop_classes.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>

namespace telerad::dicom {

std::set<std::string> AcceptedStorageSopClasses(const std::vector<std::string>& extra) {
  std::set<std::string> classes = {
      UID_CTImageStorage,
      UID_EnhancedCTImageStorage,
      UID_ComputedRadiographyImageStorage,
      UID_DigitalXRayImageStorageForPresentation,
      UID_DigitalXRayImageStorageForProcessing,
      UID_DigitalMammographyXRayImageStorageForPresentation,
      UID_DigitalMammographyXRayImageStorageForProcessing,
      UID_XRayAngiographicImageStorage,
      UID_XRayRadiofluoroscopicImageStorage,
      UID_SecondaryCaptureImageStorage,
  };
  classes.insert(extra.begin(), extra.end());
  return classes;
}

std::vector<std::string> AcceptedTransferSyntaxes() {
  // Uncompressed first: when a peer offers both in one context it keeps its data as is
  // only if it offered the uncompressed form first; peers that hold compressed files
  // (storescu, PACS) propose those syntaxes in contexts of their own.
  return {
      UID_LittleEndianExplicitTransferSyntax,
      UID_LittleEndianImplicitTransferSyntax,
      UID_DeflatedExplicitVRLittleEndianTransferSyntax,
      UID_JPEGProcess14SV1TransferSyntax,
      UID_JPEGProcess14TransferSyntax,
      UID_JPEGProcess1TransferSyntax,
      UID_JPEGProcess2_4TransferSyntax,
      UID_JPEGLSLosslessTransferSyntax,
      UID_JPEGLSLossyTransferSyntax,
      UID_JPEG2000LosslessOnlyTransferSyntax,
      UID_JPEG2000TransferSyntax,
      UID_RLELosslessTransferSyntax,
  };
}

}  // namespace telerad::dicom
