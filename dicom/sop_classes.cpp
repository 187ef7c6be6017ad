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
  // first of this list. A peer holding a losslessly compressed file proposes its syntax
  // with uncompressed fallbacks, so lossless compression comes first: the file arrives as
  // the peer holds it, with no transcoding on either side. Lossy syntaxes come last, so a
  // peer able to produce them never lossy-compresses a diagnostic image to suit us;
  // lossy files are still accepted as they are.
  return {
      UID_JPEGProcess14SV1TransferSyntax,     UID_JPEGProcess14TransferSyntax,
      UID_JPEGLSLosslessTransferSyntax,       UID_JPEG2000LosslessOnlyTransferSyntax,
      UID_RLELosslessTransferSyntax,          UID_LittleEndianExplicitTransferSyntax,
      UID_LittleEndianImplicitTransferSyntax, UID_DeflatedExplicitVRLittleEndianTransferSyntax,
      UID_JPEGProcess1TransferSyntax,         UID_JPEGProcess2_4TransferSyntax,
      UID_JPEGLSLossyTransferSyntax,          UID_JPEG2000TransferSyntax,
  };
}

}  // namespace telerad::dicom
