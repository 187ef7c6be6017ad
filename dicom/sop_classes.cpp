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
  // DCMTK picks, among the syntaxes a peer proposes in one presentation context, the
  // first of this list. A peer holding a compressed file proposes its syntax together
  // with uncompressed fallbacks (storescu, PACS forwarding), so compressed syntaxes
  // come first: the file then arrives exactly as the peer holds it, with no transcoding
  // on either side. Lossless before lossy, in case a peer offers both.
  return {
      UID_JPEGProcess14SV1TransferSyntax,
      UID_JPEGProcess14TransferSyntax,
      UID_JPEGLSLosslessTransferSyntax,
      UID_JPEG2000LosslessOnlyTransferSyntax,
      UID_RLELosslessTransferSyntax,
      UID_JPEGProcess1TransferSyntax,
      UID_JPEGProcess2_4TransferSyntax,
      UID_JPEGLSLossyTransferSyntax,
      UID_JPEG2000TransferSyntax,
      UID_DeflatedExplicitVRLittleEndianTransferSyntax,
      UID_LittleEndianExplicitTransferSyntax,
      UID_LittleEndianImplicitTransferSyntax,
  };
}

}  // namespace telerad::dicom
